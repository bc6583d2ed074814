/** Joins the class names that are set; undefined when none is, so no empty `class` renders. */
export function cn(...names: Array<string | false | null | undefined>): string | undefined {
  return names.filter(Boolean).join(' ') || undefined
}
