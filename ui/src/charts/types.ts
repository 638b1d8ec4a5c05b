/** Answers the charts read, derived from the shared schemas (never copied). */
import type { FromSchema } from 'json-schema-to-ts';
import type { ForecastAnswer as ForecastSchema, ReorderPointAnswer as ReorderSchema, RunningOutAnswer as RunningOutSchema } from '../../../schemas/forecasting';
import type { OverviewAnswer as OverviewSchema, PosEventsAnswer as PosEventsSchema, SalesAnswer as SalesSchema } from '../../../schemas/overview';

export type ForecastAnswer = FromSchema<typeof ForecastSchema>;
export type ReorderPointAnswer = FromSchema<typeof ReorderSchema>;
export type OverviewAnswer = FromSchema<typeof OverviewSchema>;
export type PosEventsAnswer = FromSchema<typeof PosEventsSchema>;
export type SalesAnswer = FromSchema<typeof SalesSchema>;
export type RunningOutAnswer = FromSchema<typeof RunningOutSchema>;
