import TextField, { TextFieldProps } from '@material-ui/core/TextField';
import { useErrorTextProps } from './errorText';

/**
 * Material UI's TextField whose label and helper text take the darker error colour while the
 * field shows an error (see `useErrorTextProps`), keeping any label or helper text props given.
 */
export function AccessTextField(props: TextFieldProps) {
  const errorText = useErrorTextProps(Boolean(props.error));
  return (
    <TextField
      {...props}
      InputLabelProps={{
        ...props.InputLabelProps,
        style: {
          ...props.InputLabelProps?.style,
          ...errorText.InputLabelProps?.style,
        },
      }}
      FormHelperTextProps={{
        ...props.FormHelperTextProps,
        style: {
          ...props.FormHelperTextProps?.style,
          ...errorText.FormHelperTextProps?.style,
        },
      }}
    />
  );
}
