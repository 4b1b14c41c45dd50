/** The grievance catalogue (TAXONOMY.md): everyone reads it, admins replace it as a whole. */
import { CatalogueSchema } from '../../catalogue/catalogue.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

const tags = ['configuration 配置'];

export async function catalogueRoutes(app: App, { catalogue }: Api) {
  app.get('/catalogue', {
    schema: {
      tags, summary: '诉求目录 / the grievance catalogue', operationId: 'getCatalogue',
      description: '类别、子项、属地标记、停用标记 / categories, sub-items, the territorial flag and retirement',
      response: { 200: CatalogueSchema, ...errors(401) },
    },
  }, async () => catalogue.readCatalogue());

  app.put('/catalogue', {
    schema: {
      tags, summary: '替换诉求目录 / replace the catalogue', operationId: 'replaceCatalogue',
      description: '整体替换（管理员）；案件使用中的代码不能删除，只能停用（409）/ replaces the whole catalogue (admins); a code some case uses cannot be deleted, only retired (409)',
      body: CatalogueSchema, response: { 200: CatalogueSchema, ...errors(400, 401, 403, 409) },
    },
  }, async (request) => catalogue.replaceCatalogue(request.caller, request.body));
}
