/** Chinese family names of two characters (复姓), shared by name masking and name matching. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '百里',
  '申屠',
  '单于',
]);

/**
 * How many leading characters of a full name are the family name: 2 for a compound surname in a name of
 * three or more characters, else 1.
 *
 * @example familyNameLength('欧阳修远') // 2
 */
export function familyNameLength(name: string): number {
  const chars = [...name];
  return chars.length >= 3 && COMPOUND_SURNAMES.has(`${chars[0]}${chars[1]}`) ? 2 : 1;
}
