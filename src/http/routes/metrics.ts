/** The measures units are judged by, and hot spots: validate, call the service, answer. */
import { Type } from 'typebox';
import { GROUP_BYS, HotSpotsSchema, MeasuresSchema } from '../../metrics/measures-view.js';
import { errors } from '../schemas.js';
import { PeriodQuery, period } from '../request-helpers.js';
import type { Api, App } from '../app.js';

const tags = ['measures 考核'];

export async function metricsRoutes(app: App, { measures }: Api) {
  app.get('/metrics', {
    schema: {
      tags,
      description: '考核指标（三率），按北京时间整日统计（from 含、to 不含）。按单位：每次到达计一次；按类别/平台/区域/劳动者类型/渠道：期间登记的案件，每件计一次，' +
        '其余为期间发生的事件，按发生时案件的取值计。比率在 0–1 之间，分母为 0 时为 null。每个字段的公式见下方 schema 与 README / ' +
        'measures over whole days in Asia/Shanghai (from inclusive, to exclusive), read from daily counters: per unit (per arrival) or per category, ' +
        'platform, area, worker type or channel (received: cases registered in the period, each once; every other count an event of the period, ' +
        'under the values the case had then); every rate in [0, 1], null when its denominator is 0; each field\'s formula is in its description. ' +
        'Conveners see every unit; others their own unit\'s work.',
      querystring: Type.Object({ ...PeriodQuery, groupBy: Type.Optional(Type.Enum([...GROUP_BYS])) }, { additionalProperties: false }),
      response: { 200: MeasuresSchema, ...errors(400, 401, 403) },
    },
  }, async (request) => measures.readMeasures(request.caller, { ...period(request.query), groupBy: request.query.groupBy }));

  app.get('/metrics/hotspots', {
    schema: {
      tags, description: '热点：比上一等长期间增长的 类别×平台×区域 / clusters that grew against the previous period of the same length',
      querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
      response: { 200: HotSpotsSchema, ...errors(400, 401, 403) },
    },
  }, async (request) => measures.readHotSpots(request.caller, period(request.query)));
}
