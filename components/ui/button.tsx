import Link from 'next/link';
import type { ButtonHTMLAttributes, ComponentProps } from 'react';

type Variant = 'primary' | 'secondary' | 'danger';

const BASE =
  'inline-flex items-center justify-center gap-1.5 rounded-md border px-3 py-1.5 ' +
  'text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 ' +
  'focus-visible:outline-offset-2 focus-visible:outline-sky-600 ' +
  'disabled:cursor-not-allowed disabled:opacity-50 aria-disabled:pointer-events-none ' +
  'aria-disabled:opacity-50';

const VARIANTS: Record<Variant, string> = {
  primary: 'border-zinc-900 bg-zinc-900 text-white hover:bg-zinc-700',
  secondary: 'border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-100',
  danger: 'border-red-700 bg-red-700 text-white hover:bg-red-600',
};

export function buttonClass(variant: Variant = 'secondary'): string {
  return `${BASE} ${VARIANTS[variant]}`;
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant };

export function Button({ variant, className = '', type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={`${buttonClass(variant)} ${className}`} {...props} />;
}

type LinkButtonProps = ComponentProps<typeof Link> & { variant?: Variant; disabled?: boolean };

/** A link that looks like a button; disabled, it stays in place but leads nowhere. */
export function LinkButton({ variant, disabled, className = '', ...props }: LinkButtonProps) {
  const classes = `${buttonClass(variant)} ${className}`;
  if (disabled) {
    return (
      <span role="link" aria-disabled="true" className={classes}>
        {props.children}
      </span>
    );
  }
  return <Link className={classes} {...props} />;
}
