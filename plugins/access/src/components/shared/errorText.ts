import { useTheme } from '@material-ui/core/styles';
import { CSSProperties } from 'react';

/**
 * The colour of a field's label and helper text while it shows an error: the theme's error
 * colour is below WCAG's 4.5:1 on a white dialog, its darker shade (lighter on a dark theme) is
 * not. Pass as `InputLabelProps` and `FormHelperTextProps` of a TextField.
 */
export function useErrorTextProps(error: boolean): {
  InputLabelProps?: { style: CSSProperties };
  FormHelperTextProps?: { style: CSSProperties };
} {
  const theme = useTheme();
  if (!error) return {};
  const color =
    theme.palette.type === 'dark'
      ? theme.palette.error.light
      : theme.palette.error.dark;
  return {
    InputLabelProps: { style: { color } },
    FormHelperTextProps: { style: { color } },
  };
}
