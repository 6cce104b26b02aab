/**
 * Files residents upload in tests: a whole 1 × 1 RGBA PNG that decodes (the upload check inflates its
 * image data and checks every scanline, so a PNG header alone is refused as HUJI_MATERIAL_CORRUPT).
 */
export const ONE_PIXEL_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);
