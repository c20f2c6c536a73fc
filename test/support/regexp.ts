/** One RegExp from pieces, so a long pattern can be written over several lines (flags from the first piece). */
export function joinedRegExp(...pieces: RegExp[]): RegExp {
  return new RegExp(pieces.map((p) => p.source).join(''), pieces[0]?.flags);
}
