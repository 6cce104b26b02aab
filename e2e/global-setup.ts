/** Builds the web app when its sources are newer than the build, once before the browser journeys. */
import { buildWebIfStale } from '../scripts/build-web.js';

export default async function setup() {
  const result = await buildWebIfStale();
  console.log(result.built ? `web app built in ${result.ms} ms` : 'web app build is up to date');
}
