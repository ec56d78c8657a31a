import { makeStyles } from '@material-ui/core/styles';

/**
 * Labels of the outlined filter fields that sit on the page's grey background: the theme's
 * secondary text there is below WCAG's 4.5:1, the primary text is not. Focus and error colours
 * still apply.
 */
export const useFilterLabelStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.primary,
  },
}));
