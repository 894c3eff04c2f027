import { Inject, Injectable } from '@nestjs/common';
import { KeyDriversRequest, KeyDriversResponse, StewardError, SurveyDefinition } from '@steward/contracts';
import { analyseDrivers, type AnalysisRespondent } from '@steward/feedback-domain';
import type { UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { driversOf } from '../domain/survey-definition';
import { SurveysService } from '../surveys/surveys.service';
import { AnalyticsRepository } from './analytics.repository';

const bad = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);

/**
 * Key drivers of a survey in a period and segment: the drivers are its rating items that
 * name one (matched by name across versions), the outcome its score or a business outcome
 * recorded with the responses; the analysis is the library's `analyseDrivers`.
 */
@Injectable()
export class KeyDriversService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    private readonly repo: AnalyticsRepository,
    private readonly surveys: SurveysService,
  ) {}

  analyse(ctx: RequestContext, q: KeyDriversRequest): Promise<KeyDriversResponse> {
    requireRole(ctx, ANY_ROLE);
    if (q.from && q.to && q.from > q.to) throw bad('to', 'after-from', 'must not be before from');
    if (q.dimension !== 'all' && !q.value) throw bad('value', 'required', `is required with dimension ${q.dimension}`);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const survey = await this.surveys.require(tx, q.surveyId);
      const definitions = (await this.repo.definitions(tx, survey.id)) as Map<number, SurveyDefinition>;
      const keysByVersion = new Map([...definitions].map(([v, def]) => [v, driversOf(def)]));
      const known = new Map<string, { min: number; max: number }>();
      for (const ds of keysByVersion.values()) for (const d of ds) known.set(d.driver, d.scale);
      const drivers = q.drivers ?? [...known.keys()];
      drivers.forEach((d, i) => {
        if (!known.has(d)) throw bad(`drivers[${i}]`, 'exists', `the survey measures no driver "${d}" (it has ${[...known.keys()].join(', ') || 'none'})`);
      });
      if (drivers.length === 0) throw bad('drivers', 'required', 'the survey has no rating items that name a driver');
      const scales = new Set(drivers.map((d) => `${known.get(d)!.min}-${known.get(d)!.max}`));
      if (scales.size > 1) throw bad('drivers', 'same-scale', 'the drivers analysed together must share one scale');
      const scale = known.get(drivers[0]!)!;
      const rows = await this.repo.driverRows(tx, survey.id, q.from ?? null, q.to ?? null, q.dimension, q.dimension === 'all' ? null : q.value!);
      const respondents: AnalysisRespondent[] = rows.map((r) => {
        const items: Record<string, number | null> = {};
        for (const d of keysByVersion.get(r.version) ?? []) {
          const v = r.answers[d.key];
          items[d.driver] = typeof v === 'number' ? v : null;
        }
        return { id: r.id, items, outcome: q.outcome === 'score' ? r.score : (r.outcomes?.[q.outcome] ?? null), weight: r.weight };
      });
      const outcomeType = q.outcome !== 'score' && respondents.some((r) => typeof r.outcome === 'boolean') ? 'binary' : 'continuous';
      return analyseDrivers({ respondents, drivers, method: q.method, scale, outcomeType, resamples: q.resamples, seed: q.seed, weighted: q.weighted });
    });
  }
}
