/** A person's face: their uploaded picture when they have one, otherwise the first letter of their name. */
import { initialOf } from "~/lib/initial";

const PIXELS = { sm: 32, md: 64, lg: 96 } as const;
/** The stored size to load: about twice the displayed one, for sharp screens (stored: 64, 160, 400). */
const STORED = { sm: 64, md: 160, lg: 400 } as const;
const BOX = { sm: "size-8 text-sm", md: "size-16 text-2xl", lg: "size-24 text-4xl" } as const;

/**
 * `image` is users.image: only our own stored pictures (/avatars/…) are shown, never an address from elsewhere
 * (an identity provider's picture URL would tell a third party who reads which page).
 */
export function Avatar({
  name,
  image,
  size = "md",
  decorative = true,
}: {
  name: string;
  image: string | null | undefined;
  size?: keyof typeof PIXELS;
  /** Beside the person's name the picture adds nothing for screen readers. */
  decorative?: boolean;
}) {
  const pixels = PIXELS[size];
  if (image?.startsWith("/avatars/")) {
    return (
      <img
        src={`${image}/${STORED[size]}.webp`}
        width={pixels}
        height={pixels}
        alt={decorative ? "" : `Profile picture of ${name}`}
        className={`${BOX[size]} shrink-0 rounded-full object-cover`}
      />
    );
  }
  const letterClass = `flex ${BOX[size]} shrink-0 items-center justify-center rounded-full bg-brand-100 font-bold text-brand-700`;
  const letter = initialOf(name);
  if (!decorative)
    return (
      <span role="img" aria-label={`${name}'s initial`} className={letterClass}>
        {letter}
      </span>
    );
  return (
    <span aria-hidden="true" className={letterClass}>
      {letter}
    </span>
  );
}
