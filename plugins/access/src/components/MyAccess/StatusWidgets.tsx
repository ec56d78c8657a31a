import { RequestStatus } from '@jit-access/plugin-access-common';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useAccessTranslation } from '../shared/i18n';

export const WIDGET_STATUSES = [
  'active',
  'pending_approval',
  'scheduled',
  'failed',
] as const satisfies readonly RequestStatus[];

export type WidgetStatus = (typeof WIDGET_STATUSES)[number];

export interface StatusCount {
  count: number;
  /** More exist than were counted. */
  more: boolean;
}

/** Counts per status; clicking one filters the list below (a toggle, announced as pressed). */
export function StatusWidgets(props: {
  counts?: Partial<Record<WidgetStatus, StatusCount>>;
  selected: WidgetStatus;
  onSelect(status: WidgetStatus): void;
}) {
  const { counts, selected, onSelect } = props;
  const { t, format } = useAccessTranslation();
  return (
    <Grid
      container
      spacing={2}
      role="group"
      aria-label={t('myAccess.widgets.label')}
    >
      {WIDGET_STATUSES.map(status => {
        const value = counts?.[status];
        let shown: string = t('myAccess.widgets.counting');
        if (value) {
          shown = value.more
            ? t('myAccess.widgets.atLeast', {
                value: format.number(value.count),
              })
            : format.number(value.count);
        }
        return (
          <Grid item xs={6} md={3} key={status}>
            <Card
              variant={selected === status ? 'elevation' : 'outlined'}
              raised={selected === status}
            >
              <CardActionArea
                onClick={() => onSelect(status)}
                // Named by what it shows ("1 Active"), so speech input finds it by its text.
                aria-pressed={selected === status}
              >
                <CardContent>
                  <Typography variant="h4" component="p">
                    {shown}
                  </Typography>
                  <Typography color="textSecondary">
                    {format.status(status)}
                  </Typography>
                </CardContent>
              </CardActionArea>
            </Card>
          </Grid>
        );
      })}
    </Grid>
  );
}
