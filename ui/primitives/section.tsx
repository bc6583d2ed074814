import {
  createContext,
  forwardRef,
  useContext,
  useId,
  type ComponentProps,
  type ReactNode,
} from 'react'
import { cn } from './cn'

const SectionTitleId = createContext<string | undefined>(undefined)

export type SectionProps = ComponentProps<'section'>

/**
 * A `<section>` named by its {@link SectionTitle} (`aria-labelledby`), so it is a region
 * assistive technology lists. The title may sit anywhere inside, e.g. in a header beside a badge.
 *
 * ```tsx
 * <Section data-slot="my-card">
 *   <SectionTitle>Recent activity</SectionTitle>
 *   …
 * </Section>
 * ```
 */
export const Section = forwardRef<HTMLElement, SectionProps>(function Section(
  { className, children, ...props },
  ref,
) {
  const titleId = useId()
  return (
    <section
      ref={ref}
      aria-labelledby={titleId}
      className={cn('twofold-root', className)}
      {...props}
    >
      <SectionTitleId.Provider value={titleId}>{children}</SectionTitleId.Provider>
    </section>
  )
})

export interface SectionTitleProps extends Omit<ComponentProps<'h2'>, 'id'> {
  /**
   * The heading's level: 2 for a card on a page, 3 for a part of a card.
   * @default 2
   */
  level?: 2 | 3 | 4
  children?: ReactNode
}

/** The heading that names the {@link Section} around it (`data-slot="title"`). */
export function SectionTitle({ level = 2, ...props }: SectionTitleProps) {
  const id = useContext(SectionTitleId)
  const Heading = `h${level}` as const
  return <Heading data-slot="title" {...props} id={id} />
}
