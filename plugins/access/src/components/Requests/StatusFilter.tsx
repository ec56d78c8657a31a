import {
  REQUEST_STATUSES,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { useFilterLabelStyles } from '../shared/filterLabel';
import { useAccessTranslation } from '../shared/i18n';

/** Pick any number of statuses; none means all. */
export function StatusFilter(props: {
  value: RequestStatus[];
  onChange(value: RequestStatus[]): void;
  id?: string;
}) {
  const id = props.id ?? 'status-filter';
  const classes = useFilterLabelStyles();
  const { t, format } = useAccessTranslation();
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth: 220 }}>
      <InputLabel id={`${id}-label`} classes={{ root: classes.label }}>
        {t('requests.status')}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        multiple
        label={t('requests.status')}
        value={props.value}
        onChange={e => props.onChange(e.target.value as RequestStatus[])}
        renderValue={selected =>
          format.list((selected as RequestStatus[]).map(format.status))
        }
      >
        {REQUEST_STATUSES.map(status => (
          <MenuItem key={status} value={status}>
            <Checkbox checked={props.value.includes(status)} size="small" />
            <ListItemText primary={format.status(status)} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
