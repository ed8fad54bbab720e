import { FormControl, type FormControlInternalProps } from '@contentful/f36-components';
import { type ReactNode, useId } from 'react';

/**
 * A labelled control with its help and the problems the CMA found in it. Its id comes from `useId`: Forma 36 draws
 * control ids from four random digits, which collide.
 */
export function FormRow({
  label,
  help,
  problems = [],
  children,
  ...control
}: Omit<FormControlInternalProps, 'id' | 'children'> & { label: string; help?: ReactNode; problems?: string[]; children: ReactNode }) {
  const id = useId();
  return (
    <FormControl id={id} isInvalid={problems.length > 0} {...control}>
      <FormControl.Label>{label}</FormControl.Label>
      {children}
      {help ? <FormControl.HelpText>{help}</FormControl.HelpText> : null}
      {problems.map((text) => (
        <FormControl.ValidationMessage key={text}>{text}</FormControl.ValidationMessage>
      ))}
    </FormControl>
  );
}
