// Generated from the served OpenAPI document (GET /docs/json) by src/web/api/openapi-to-ts.ts.
// Do not edit: `npm run api:client` rewrites it; tests/e2e/api-client.test.ts fails when it is stale.
export interface paths {
  "/api/v1/accountability": {
    get: {
        parameters: {
          query?: {
            from?: string;
            to?: string;
            orgId?: string;
            limit?: number;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: components["schemas"]["AccountabilityItem"][];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/attachments/{id}": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "image/jpeg": string;
              "image/png": string;
              "image/webp": string;
              "application/pdf": string;
              "audio/mpeg": string;
              "audio/mp4": string;
              "audio/aac": string;
              "audio/ogg": string;
              "audio/amr": string;
              "audio/webm": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/audit/admin": {
    get: {
        parameters: {
          query?: {
            from?: string;
            to?: string;
            entity?: ("org" | "user" | "token" | "routing_rules" | "sla_policies" | "calendar" | "channels" | "catalogue" | "open311_key");
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: number;
                  at: string;
                  actorUserId: string | null;
                  entity: ("org" | "user" | "token" | "routing_rules" | "sla_policies" | "calendar" | "channels" | "catalogue" | "open311_key");
                  entityId: string | null;
                  action: string;
                  details: {
                    [key: string]: unknown;
                  };
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/audit/anchors": {
    get: {
        parameters: {
          query?: {
            limit?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  recordVersion: number;
                  day: string;
                  cases: number;
                  headsHash: string;
                  prevHash: string;
                  hash: string;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/audit/export": {
    get: {
        parameters: {
          query?: {
            from?: string;
            to?: string;
            caseId?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/x-ndjson": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/audit/reveals": {
    get: {
        parameters: {
          query?: {
            from?: string;
            to?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: number;
                  at: string;
                  caseId: string;
                  reference: string;
                  userId: string;
                  userName: string;
                  orgId: string | null;
                  reason: string;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/audit/verify": {
    get: {
        parameters: {
          query: {
            caseId: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                ok: boolean;
                checked: number;
                firstBrokenSeq?: number;
                head: string | null;
                anchorsChecked: number;
                anchorDay?: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/calendar-overrides": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                day: string;
                kind: ("workday" | "holiday");
                note?: string;
              }[];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    put: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              day: string;
              kind: ("workday" | "holiday");
              note?: string;
            }[];
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                day: string;
                kind: ("workday" | "holiday");
                note?: string;
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/calendar/status": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                years: {
                  year: number;
                  source: ("official" | "override" | "provisional");
                }[];
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/calendar/years/{year}": {
    put: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            year: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              holidays: string[];
              workdays: string[];
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                year: number;
                source: "override";
                holidays: number;
                workdays: number;
                recomputed: number;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases": {
    get: {
        parameters: {
          query?: {
            state?: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
            level?: ("branch" | "platform" | "department");
            holderOrgId?: string;
            overdue?: ("true" | "false");
            open?: ("true" | "false");
            sort?: ("newest" | "due" | "created" | "updated" | "reference");
            order?: ("asc" | "desc");
            category?: string;
            assignee?: string;
            platform?: string;
            q?: string;
            limit?: string;
            cursor?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  reference: string;
                  state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                  stateLabel: string;
                  level: ("branch" | "platform" | "department");
                  holderOrgId: string;
                  branchOrgId: string;
                  platformOrgId: string | null;
                  departmentOrgId: string | null;
                  supervisingOrgId: string | null;
                  category: string;
                  subcategory: string | null;
                  requestType: string | null;
                  platform: string | null;
                  area: string | null;
                  urgency: string;
                  channel: string;
                  hotlineOrgId: string | null;
                  hotlineOrderNo: string | null;
                  algorithm: {
                    orderId: string;
                    ruleVersion: string;
                    decidedAt: string;
                    amount?: number;
                  } | null;
                  humanReview: {
                    outcome: string;
                    explanation: string;
                    at: string;
                  } | null;
                  description: string;
                  occurredAt: string | null;
                  worker: {
                    name: string | null;
                    phone: string | null;
                    anonymous: boolean;
                    workerType: string;
                    platforms: string[];
                  };
                  resolution: string | null;
                  outcome: string | null;
                  mergedInto: string | null;
                  version: number;
                  overdue: boolean;
                  dueAt: string | null;
                  supervised: boolean;
                  onMeetingAgenda: boolean;
                  assigneeUserId: string | null;
                  createdAt: string;
                  updatedAt: string;
                  closedAt: string | null;
                }[];
                nextCursor: string | null;
                counts: {
                  total: number;
                  open: number;
                  overdue: number;
                  dueSoon: number;
                  waitingMe: number;
                  mine: number;
                  closed: number;
                } | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: {
            "idempotency-key"?: string;
          };
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              worker: {
                name?: string;
                phone?: string;
                anonymous?: boolean;
                workerType: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
                platforms: string[];
                consentToLink?: boolean;
              };
              channel: ("station" | "online" | "hotline" | "visit" | "group" | "other");
              category: string;
              subcategory?: string;
              requestType?: ("consult" | "help" | "complaint" | "report" | "suggestion");
              description: string;
              platform?: string;
              area?: string;
              urgency: ("normal" | "urgent" | "critical");
              occurredAt?: string;
              algorithm?: {
                orderId: string;
                ruleVersion: string;
                decidedAt: string;
                amount?: number;
              };
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                reference: string;
                state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                stateLabel: string;
                level: ("branch" | "platform" | "department");
                holderOrgId: string;
                branchOrgId: string;
                platformOrgId: string | null;
                departmentOrgId: string | null;
                supervisingOrgId: string | null;
                category: string;
                subcategory: string | null;
                requestType: string | null;
                platform: string | null;
                area: string | null;
                urgency: string;
                channel: string;
                hotlineOrgId: string | null;
                hotlineOrderNo: string | null;
                algorithm: {
                  orderId: string;
                  ruleVersion: string;
                  decidedAt: string;
                  amount?: number;
                } | null;
                humanReview: {
                  outcome: string;
                  explanation: string;
                  at: string;
                } | null;
                description: string;
                occurredAt: string | null;
                worker: {
                  name: string | null;
                  phone: string | null;
                  anonymous: boolean;
                  workerType: string;
                  platforms: string[];
                };
                resolution: string | null;
                outcome: string | null;
                mergedInto: string | null;
                version: number;
                overdue: boolean;
                dueAt: string | null;
                supervised: boolean;
                onMeetingAgenda: boolean;
                assigneeUserId: string | null;
                createdAt: string;
                updatedAt: string;
                closedAt: string | null;
                holderOrgType: string | null;
                cohandlers: {
                  orgId: string;
                  orgName: string;
                  reason: string;
                  addedAt: string;
                  dueAt: string;
                  contributedAt: string | null;
                  opinion: string | null;
                }[];
                deadlines: {
                  id: string;
                  step: string;
                  level: string;
                  orgId: string;
                  startedAt: string;
                  dueAt: string;
                  warnAt: string;
                  status: ("pending" | "paused" | "met" | "missed" | "cancelled");
                  closedAt: string | null;
                  provisional: boolean;
                }[];
                allowedActions: string[];
                linkedOpenCases?: {
                  count: number;
                  references: string[];
                  cases: {
                    id: string;
                    reference: string;
                  }[];
                };
                actionTargets: {
                  forward?: string[];
                  transfer?: string[];
                  hand_off?: string[];
                  refer?: string[];
                };
                receiptCode?: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases/open-for-worker": {
    get: {
        parameters: {
          query: {
            phone: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                count: number;
                references: string[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases/{id}": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                reference: string;
                state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                stateLabel: string;
                level: ("branch" | "platform" | "department");
                holderOrgId: string;
                branchOrgId: string;
                platformOrgId: string | null;
                departmentOrgId: string | null;
                supervisingOrgId: string | null;
                category: string;
                subcategory: string | null;
                requestType: string | null;
                platform: string | null;
                area: string | null;
                urgency: string;
                channel: string;
                hotlineOrgId: string | null;
                hotlineOrderNo: string | null;
                algorithm: {
                  orderId: string;
                  ruleVersion: string;
                  decidedAt: string;
                  amount?: number;
                } | null;
                humanReview: {
                  outcome: string;
                  explanation: string;
                  at: string;
                } | null;
                description: string;
                occurredAt: string | null;
                worker: {
                  name: string | null;
                  phone: string | null;
                  anonymous: boolean;
                  workerType: string;
                  platforms: string[];
                };
                resolution: string | null;
                outcome: string | null;
                mergedInto: string | null;
                version: number;
                overdue: boolean;
                dueAt: string | null;
                supervised: boolean;
                onMeetingAgenda: boolean;
                assigneeUserId: string | null;
                createdAt: string;
                updatedAt: string;
                closedAt: string | null;
                holderOrgType: string | null;
                cohandlers: {
                  orgId: string;
                  orgName: string;
                  reason: string;
                  addedAt: string;
                  dueAt: string;
                  contributedAt: string | null;
                  opinion: string | null;
                }[];
                deadlines: {
                  id: string;
                  step: string;
                  level: string;
                  orgId: string;
                  startedAt: string;
                  dueAt: string;
                  warnAt: string;
                  status: ("pending" | "paused" | "met" | "missed" | "cancelled");
                  closedAt: string | null;
                  provisional: boolean;
                }[];
                allowedActions: string[];
                linkedOpenCases?: {
                  count: number;
                  references: string[];
                  cases: {
                    id: string;
                    reference: string;
                  }[];
                };
                actionTargets: {
                  forward?: string[];
                  transfer?: string[];
                  hand_off?: string[];
                  refer?: string[];
                };
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases/{id}/actions": {
    post: {
        parameters: {
          query?: never;
          header: {
            "if-match": string;
          };
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": (components["schemas"]["action_forward"] | components["schemas"]["action_resolve"] | components["schemas"]["action_withdraw"] | components["schemas"]["action_merge"] | components["schemas"]["action_accept"] | components["schemas"]["action_return"] | components["schemas"]["action_transfer"] | components["schemas"]["action_request_info"] | components["schemas"]["action_resume"] | components["schemas"]["action_provide_info"] | components["schemas"]["action_request_extension"] | components["schemas"]["action_approve_extension"] | components["schemas"]["action_deny_extension"] | components["schemas"]["action_hand_off"] | components["schemas"]["action_supervise"] | components["schemas"]["action_feedback"] | components["schemas"]["action_reclassify"] | components["schemas"]["action_add_cohandler"] | components["schemas"]["action_contribute"] | components["schemas"]["action_human_review"] | components["schemas"]["action_assign_lead"] | components["schemas"]["action_refer"] | components["schemas"]["action_refer_outcome"] | components["schemas"]["action_appeal"] | components["schemas"]["action_assign"]);
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                reference: string;
                state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                stateLabel: string;
                level: ("branch" | "platform" | "department");
                holderOrgId: string;
                branchOrgId: string;
                platformOrgId: string | null;
                departmentOrgId: string | null;
                supervisingOrgId: string | null;
                category: string;
                subcategory: string | null;
                requestType: string | null;
                platform: string | null;
                area: string | null;
                urgency: string;
                channel: string;
                hotlineOrgId: string | null;
                hotlineOrderNo: string | null;
                algorithm: {
                  orderId: string;
                  ruleVersion: string;
                  decidedAt: string;
                  amount?: number;
                } | null;
                humanReview: {
                  outcome: string;
                  explanation: string;
                  at: string;
                } | null;
                description: string;
                occurredAt: string | null;
                worker: {
                  name: string | null;
                  phone: string | null;
                  anonymous: boolean;
                  workerType: string;
                  platforms: string[];
                };
                resolution: string | null;
                outcome: string | null;
                mergedInto: string | null;
                version: number;
                overdue: boolean;
                dueAt: string | null;
                supervised: boolean;
                onMeetingAgenda: boolean;
                assigneeUserId: string | null;
                createdAt: string;
                updatedAt: string;
                closedAt: string | null;
                holderOrgType: string | null;
                cohandlers: {
                  orgId: string;
                  orgName: string;
                  reason: string;
                  addedAt: string;
                  dueAt: string;
                  contributedAt: string | null;
                  opinion: string | null;
                }[];
                deadlines: {
                  id: string;
                  step: string;
                  level: string;
                  orgId: string;
                  startedAt: string;
                  dueAt: string;
                  warnAt: string;
                  status: ("pending" | "paused" | "met" | "missed" | "cancelled");
                  closedAt: string | null;
                  provisional: boolean;
                }[];
                allowedActions: string[];
                linkedOpenCases?: {
                  count: number;
                  references: string[];
                  cases: {
                    id: string;
                    reference: string;
                  }[];
                };
                actionTargets: {
                  forward?: string[];
                  transfer?: string[];
                  hand_off?: string[];
                  refer?: string[];
                };
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases/{id}/attachments": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  name: string;
                  contentType: string;
                  size: number;
                  createdAt: string;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "multipart/form-data": {
              file: string;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                contentType: string;
                size: number;
                createdAt: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          413: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          415: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases/{id}/events": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  seq: number;
                  at: string;
                  actor: {
                    userId?: string;
                    orgId?: string;
                    system?: string;
                  };
                  action: string;
                  fromState: string | null;
                  toState: string;
                  level: string;
                  holderOrgId: string | null;
                  data: {
                    [key: string]: unknown;
                  };
                  schemaVersion: number;
                  prevHash: string;
                  hash: string;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases/{id}/reveal": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              reason: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                name: string | null;
                phone: string | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/cases/{id}/worker-messages": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  kind: string;
                  sms: string;
                  phone: string | null;
                  status: ("sent" | "pending" | "failed" | "unsent");
                  createdAt: string;
                  sentAt: string | null;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/catalogue": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                categories: {
                  code: string;
                  name: string;
                  nameEn: string;
                  territorial: boolean;
                  retired: boolean;
                  subcategories: {
                    code: string;
                    name: string;
                    nameEn: string;
                    retired: boolean;
                  }[];
                }[];
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    put: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              categories: {
                code: string;
                name: string;
                nameEn: string;
                territorial: boolean;
                retired: boolean;
                subcategories: {
                  code: string;
                  name: string;
                  nameEn: string;
                  retired: boolean;
                }[];
              }[];
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                categories: {
                  code: string;
                  name: string;
                  nameEn: string;
                  territorial: boolean;
                  retired: boolean;
                  subcategories: {
                    code: string;
                    name: string;
                    nameEn: string;
                    retired: boolean;
                  }[];
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/deliveries": {
    get: {
        parameters: {
          query?: {
            status?: ("parked" | "failed" | "pending");
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  orgId: string;
                  orgName: string;
                  caseId: string | null;
                  kind: string;
                  channel: ("webhook" | "wecom" | "dingtalk" | "email" | "sms");
                  attempts: number;
                  lastError: string | null;
                  nextAttemptAt: string;
                  createdAt: string;
                  receiver: {
                    failures: number;
                    parkedUntil: string | null;
                  };
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/exports/{id}": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                meetingId: string;
                format: string;
                status: string;
                progress: number;
                error: string | null;
                downloadUrl: string | null;
                createdAt: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/exports/{id}/file": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
              "text/csv": string;
              "text/markdown": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/intake/hotline": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              orderNo: string;
              description: string;
              category?: string;
              area?: string;
              platform?: string;
              workerType?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
              urgency?: ("normal" | "urgent" | "critical");
              phone?: string;
              name?: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                reference: string;
              };
            };
          };
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                reference: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/me": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                userId: string | null;
                name: string;
                role: string;
                orgId: string | null;
                orgName: string | null;
                orgType: string | null;
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/meeting-schedules": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: components["schemas"]["MeetingSchedule"][];
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              title: string;
              every: string;
              firstDay?: string;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                title: string;
                every: "month";
                firstDay: string;
                nextDraftOn: string;
                createdAt: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/meetings": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  title: string;
                  periodFrom: string;
                  periodTo: string;
                  createdAt: string;
                }[];
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              title: string;
              periodFrom: string;
              periodTo: string;
              attendees?: string[];
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                title: string;
                periodFrom: string;
                periodTo: string;
                attendees: string[];
                minutes: string | null;
                createdAt: string;
                agenda: {
                  itemId: string;
                  caseId: string;
                  reference: string;
                  state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                  level: ("branch" | "platform" | "department");
                  holderOrgId: string;
                  holderName: string;
                  category: string;
                  platform: string;
                  area: string | null;
                  overdue: boolean;
                  dueAt: string | null;
                  reasons: ("overdue_l3" | "escalated" | "returned_twice" | "transfer_limit" | "supervision_missed" | "reopened" | "cohandler_missed" | "referral_missed" | "systemic_issue")[];
                  decision: {
                    leadOrgId: string;
                    amount: number;
                    unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                    decision: string;
                    at: string;
                  } | null;
                  summary: string;
                  categoryName: string;
                  overdueMinutes: number | null;
                  returns: number;
                  transfers: number;
                  reopenings: number;
                }[];
                hotSpots: {
                  category: string;
                  platform: string | null;
                  area: string;
                  count: number;
                  previous: number;
                  growth: number;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/meetings/{id}": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                title: string;
                periodFrom: string;
                periodTo: string;
                attendees: string[];
                minutes: string | null;
                createdAt: string;
                agenda: {
                  itemId: string;
                  caseId: string;
                  reference: string;
                  state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                  level: ("branch" | "platform" | "department");
                  holderOrgId: string;
                  holderName: string;
                  category: string;
                  platform: string;
                  area: string | null;
                  overdue: boolean;
                  dueAt: string | null;
                  reasons: ("overdue_l3" | "escalated" | "returned_twice" | "transfer_limit" | "supervision_missed" | "reopened" | "cohandler_missed" | "referral_missed" | "systemic_issue")[];
                  decision: {
                    leadOrgId: string;
                    amount: number;
                    unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                    decision: string;
                    at: string;
                  } | null;
                  summary: string;
                  categoryName: string;
                  overdueMinutes: number | null;
                  returns: number;
                  transfers: number;
                  reopenings: number;
                }[];
                hotSpots: {
                  category: string;
                  platform: string | null;
                  area: string;
                  count: number;
                  previous: number;
                  growth: number;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/meetings/{id}/decisions": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              caseId: string;
              leadOrgId: string;
              amount: number;
              unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
              decision: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                reference: string;
                state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                stateLabel: string;
                level: ("branch" | "platform" | "department");
                holderOrgId: string;
                branchOrgId: string;
                platformOrgId: string | null;
                departmentOrgId: string | null;
                supervisingOrgId: string | null;
                category: string;
                subcategory: string | null;
                requestType: string | null;
                platform: string | null;
                area: string | null;
                urgency: string;
                channel: string;
                hotlineOrgId: string | null;
                hotlineOrderNo: string | null;
                algorithm: {
                  orderId: string;
                  ruleVersion: string;
                  decidedAt: string;
                  amount?: number;
                } | null;
                humanReview: {
                  outcome: string;
                  explanation: string;
                  at: string;
                } | null;
                description: string;
                occurredAt: string | null;
                worker: {
                  name: string | null;
                  phone: string | null;
                  anonymous: boolean;
                  workerType: string;
                  platforms: string[];
                };
                resolution: string | null;
                outcome: string | null;
                mergedInto: string | null;
                version: number;
                overdue: boolean;
                dueAt: string | null;
                supervised: boolean;
                onMeetingAgenda: boolean;
                assigneeUserId: string | null;
                createdAt: string;
                updatedAt: string;
                closedAt: string | null;
                holderOrgType: string | null;
                cohandlers: {
                  orgId: string;
                  orgName: string;
                  reason: string;
                  addedAt: string;
                  dueAt: string;
                  contributedAt: string | null;
                  opinion: string | null;
                }[];
                deadlines: {
                  id: string;
                  step: string;
                  level: string;
                  orgId: string;
                  startedAt: string;
                  dueAt: string;
                  warnAt: string;
                  status: ("pending" | "paused" | "met" | "missed" | "cancelled");
                  closedAt: string | null;
                  provisional: boolean;
                }[];
                allowedActions: string[];
                linkedOpenCases?: {
                  count: number;
                  references: string[];
                  cases: {
                    id: string;
                    reference: string;
                  }[];
                };
                actionTargets: {
                  forward?: string[];
                  transfer?: string[];
                  hand_off?: string[];
                  refer?: string[];
                };
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/meetings/{id}/export": {
    get: {
        parameters: {
          query: {
            format: ("xlsx" | "csv" | "md");
          };
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
              "text/csv": string;
              "text/markdown": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/meetings/{id}/exports": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              format: ("xlsx" | "csv" | "md");
            };
          };
        };
        responses: {
          202: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                meetingId: string;
                format: string;
                status: string;
                progress: number;
                error: string | null;
                downloadUrl: string | null;
                createdAt: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/meetings/{id}/minutes": {
    put: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              attendees: string[];
              minutes: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                title: string;
                periodFrom: string;
                periodTo: string;
                attendees: string[];
                minutes: string | null;
                createdAt: string;
                agenda: {
                  itemId: string;
                  caseId: string;
                  reference: string;
                  state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                  level: ("branch" | "platform" | "department");
                  holderOrgId: string;
                  holderName: string;
                  category: string;
                  platform: string;
                  area: string | null;
                  overdue: boolean;
                  dueAt: string | null;
                  reasons: ("overdue_l3" | "escalated" | "returned_twice" | "transfer_limit" | "supervision_missed" | "reopened" | "cohandler_missed" | "referral_missed" | "systemic_issue")[];
                  decision: {
                    leadOrgId: string;
                    amount: number;
                    unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                    decision: string;
                    at: string;
                  } | null;
                  summary: string;
                  categoryName: string;
                  overdueMinutes: number | null;
                  returns: number;
                  transfers: number;
                  reopenings: number;
                }[];
                hotSpots: {
                  category: string;
                  platform: string | null;
                  area: string;
                  count: number;
                  previous: number;
                  growth: number;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/metrics": {
    get: {
        parameters: {
          query?: {
            from?: string;
            to?: string;
            groupBy?: ("org" | "category" | "platform" | "area" | "workerType" | "channel");
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                from: string;
                to: string;
                groupBy: ("org" | "category" | "platform" | "area" | "workerType" | "channel");
                rows: {
                  key: string | null;
                  label: string;
                  received: number;
                  accepts_judged: number;
                  accepted_on_time: number;
                  rectifications: number;
                  rectified_on_time: number;
                  resolved: number;
                  on_time: number;
                  overdue: number;
                  escalated: number;
                  reopened: number;
                  feedback: number;
                  satisfied: number;
                  solved_answered: number;
                  solved: number;
                  response_rate: number | null;
                  rectification_rate: number | null;
                  on_time_rate: number | null;
                  resolution_rate: number | null;
                  solved_rate: number | null;
                  satisfaction_rate: number | null;
                  alg_reviews: number;
                  alg_reviewed_on_time: number;
                  alg_reviewed_on_time_rate: number | null;
                  referred: number;
                  referrals_answered: number;
                  referrals_settled: number;
                  referral_settled_rate: number | null;
                  avg_handling_hours: number | null;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/metrics/hotspots": {
    get: {
        parameters: {
          query?: {
            from?: string;
            to?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  category: string;
                  platform: string | null;
                  area: string;
                  count: number;
                  previous: number;
                  growth: number;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/notifications": {
    get: {
        parameters: {
          query?: {
            unread?: ("true" | "false");
            limit?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  kind: ("case_arrived" | "case_returned" | "urgent_case" | "deadline_warning" | "deadline_missed" | "escalated" | "extension_requested" | "extension_decided" | "info_requested" | "info_provided" | "supervision_order" | "meeting_decision" | "cohandler_added" | "contribution_received" | "referral_requested" | "referral_answered" | "order_level_changed" | "order_closed");
                  caseId: string;
                  reference: string;
                  title: string;
                  body: string;
                  createdAt: string;
                  readAt: string | null;
                }[];
                unread: number;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/notifications/{id}/read": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          204: {
            headers: { [name: string]: unknown };
            content: never;
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/open311/keys": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              name: string;
              branchId: string;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                branchId: string;
                apiKey: string;
                createdAt: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/orgs": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  name: string;
                  type: string;
                  parentId: string | null;
                  platform: string | null;
                  sectors: string[];
                  areas: string[];
                  services: string[];
                  defaultBranchId: string | null;
                  active: boolean;
                  webhookUrl?: string | null;
                }[];
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              name: string;
              parentId?: string;
              sectors?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other")[];
              areas?: string[];
              services?: ("mediation" | "legal_aid" | "arbitration")[];
              webhookUrl?: string;
              defaultBranchId?: string;
              type: ("branch" | "platform" | "department" | "convener" | "territorial" | "union" | "mediation" | "hotline");
              platform?: string;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                type: string;
                parentId: string | null;
                platform: string | null;
                sectors: string[];
                areas: string[];
                services: string[];
                defaultBranchId: string | null;
                active: boolean;
                webhookUrl?: string | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/orgs/{id}": {
    delete: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                type: string;
                parentId: string | null;
                platform: string | null;
                sectors: string[];
                areas: string[];
                services: string[];
                defaultBranchId: string | null;
                active: boolean;
                webhookUrl?: string | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                statusCode: number;
                error: string;
                message: string;
                openCases: {
                  id: string;
                  reference: string;
                  state: string;
                }[];
                routingRules: number;
              };
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    patch: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              name?: string;
              parentId?: string;
              sectors?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other")[];
              areas?: string[];
              services?: ("mediation" | "legal_aid" | "arbitration")[];
              webhookUrl?: string | null;
              defaultBranchId?: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                type: string;
                parentId: string | null;
                platform: string | null;
                sectors: string[];
                areas: string[];
                services: string[];
                defaultBranchId: string | null;
                active: boolean;
                webhookUrl?: string | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/orgs/{id}/channels": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                wecom?: {
                  webhookUrl: string;
                };
                dingtalk?: {
                  webhookUrl: string;
                  secret: string;
                };
                email?: {
                  to: string[];
                };
                sms?: {
                  gatewayUrl: string;
                  token: string;
                  to?: string[];
                };
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    put: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              wecom?: {
                webhookUrl: string;
              };
              dingtalk?: {
                webhookUrl: string;
                secret: string;
              };
              email?: {
                to: string[];
              };
              sms?: {
                gatewayUrl: string;
                token: string;
                to?: string[];
              };
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                wecom?: {
                  webhookUrl: string;
                };
                dingtalk?: {
                  webhookUrl: string;
                  secret: string;
                };
                email?: {
                  to: string[];
                };
                sms?: {
                  gatewayUrl: string;
                  token: string;
                  to?: string[];
                };
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/orgs/{id}/intake-qr": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "image/svg+xml": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/orgs/{id}/succession": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              successorId: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                unit: {
                  id: string;
                  name: string;
                  type: string;
                  parentId: string | null;
                  platform: string | null;
                  sectors: string[];
                  areas: string[];
                  services: string[];
                  defaultBranchId: string | null;
                  active: boolean;
                  webhookUrl?: string | null;
                };
                successorId: string;
                moved: {
                  cases: number;
                  clocks: number;
                  routingRules: number;
                  users: number;
                  channels: number;
                };
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/oversight": {
    get: {
        parameters: {
          query?: {
            orgId?: string;
            from?: string;
            to?: string;
            state?: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
            category?: string;
            platform?: string;
            area?: string;
            limit?: string;
            offset?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  reference: string;
                  state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                  stateLabel: string;
                  level: ("branch" | "platform" | "department");
                  holderOrgId: string;
                  branchOrgId: string;
                  platformOrgId: string | null;
                  departmentOrgId: string | null;
                  supervisingOrgId: string | null;
                  category: string;
                  subcategory: string | null;
                  requestType: string | null;
                  platform: string | null;
                  area: string | null;
                  urgency: string;
                  channel: string;
                  hotlineOrgId: string | null;
                  hotlineOrderNo: string | null;
                  algorithm: {
                    orderId: string;
                    ruleVersion: string;
                    decidedAt: string;
                    amount?: number;
                  } | null;
                  humanReview: {
                    outcome: string;
                    explanation: string;
                    at: string;
                  } | null;
                  description: string;
                  occurredAt: string | null;
                  worker: {
                    name: string | null;
                    phone: string | null;
                    anonymous: boolean;
                    workerType: string;
                    platforms: string[];
                  };
                  resolution: string | null;
                  outcome: string | null;
                  mergedInto: string | null;
                  version: number;
                  overdue: boolean;
                  dueAt: string | null;
                  supervised: boolean;
                  onMeetingAgenda: boolean;
                  assigneeUserId: string | null;
                  createdAt: string;
                  updatedAt: string;
                  closedAt: string | null;
                  deadlines: {
                    id: string;
                    step: string;
                    level: string;
                    orgId: string;
                    startedAt: string;
                    dueAt: string;
                    warnAt: string;
                    status: ("pending" | "paused" | "met" | "missed" | "cancelled");
                    closedAt: string | null;
                    provisional: boolean;
                  }[];
                  secondsLeft: number | null;
                  levelHistory: {
                    level: string;
                    orgId: string;
                    orgName: string;
                    enteredAt: string;
                    leftAt: string | null;
                    hours: number;
                  }[];
                  hoursAtLevel: {
                    branch: number;
                    platform: number;
                    department: number;
                  };
                  returns: number;
                  transfers: number;
                  reopenings: number;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/cases/{reference}": {
    get: {
        parameters: {
          query?: {
            code?: string;
            phoneLast4?: string;
          };
          header?: never;
          path: {
            reference: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                reference: string;
                state: string;
                stateName: string;
                stateNameEn: string;
                level: string;
                levelName: string;
                levelNameEn: string;
                category: string;
                categoryName: string;
                categoryNameEn: string;
                registeredAt: string;
                dueAt: string | null;
                steps: {
                  at: string;
                  what: string;
                  whatEn: string;
                }[];
                next: string;
                nextEn: string;
                appealUntil: string | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/cases/{reference}/appeal": {
    post: {
        parameters: {
          query: {
            code: string;
          };
          header?: never;
          path: {
            reference: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              reason: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                reference: string;
                state: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/demo/sms": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  reference: string;
                  kind: string;
                  phone: string | null;
                  text: string;
                  link: string;
                  createdAt: string;
                }[];
              };
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/feedback/{token}": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            token: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                reference: string;
                resolution: string | null;
                state: string;
                open: boolean;
                expiresAt: string;
                ratings: string[];
                solvedAnswers: string[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          410: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            token: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              rating: ("satisfied" | "basically_satisfied" | "dissatisfied");
              solved: ("yes" | "partly" | "no");
              comment?: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                reference: string;
                state: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          410: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/intake/{id}": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                branchId: string;
                branchName: string;
                categories: {
                  code: string;
                  name: string;
                  nameEn: string;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/submissions": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              branchId: string;
              kind: ("grievance" | "suggestion");
              description: string;
              category?: string;
              phone?: string;
              anonymous?: boolean;
              workerType?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
              platform?: string;
              area?: string;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                trackingCode: string;
                state: ("waiting" | "registered" | "declined" | "forwarded");
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/submissions/{trackingCode}": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            trackingCode: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                state: ("waiting" | "registered" | "declined" | "forwarded");
                reference?: string;
                reason?: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/public/submissions/{trackingCode}/attachments": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            trackingCode: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "multipart/form-data": {
              file: string;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                contentType: string;
                size: number;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          413: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          415: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/queues": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  name: ("deadlines" | "exports" | "outbox");
                  waiting: number;
                  delayed: number;
                  failed: number;
                }[];
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/reconciliation": {
    get: {
        parameters: {
          query: {
            orgId: string;
            from?: string;
            to?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
              "text/csv": string;
              "text/markdown": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/routing-rules": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                step: ("forward" | "hand_off");
                match: {
                  platform?: string;
                  workerType?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
                  category?: string;
                  area?: string;
                };
                toOrgId: string;
              }[];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    put: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              step: ("forward" | "hand_off");
              match: {
                platform?: string;
                workerType?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
                category?: string;
                area?: string;
              };
              toOrgId: string;
            }[];
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                step: ("forward" | "hand_off");
                match: {
                  platform?: string;
                  workerType?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
                  category?: string;
                  area?: string;
                };
                toOrgId: string;
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/sign-in": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              code: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                token: string;
                expiresAt: string | null;
                me: {
                  userId: string | null;
                  name: string;
                  role: string;
                  orgId: string | null;
                  orgName: string | null;
                  orgType: string | null;
                };
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/sla-policies": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                step: ("l1_forward" | "l2_accept" | "l2_resolve" | "l3_accept" | "l3_resolve" | "feedback" | "human_review" | "contribute" | "referral" | "supervision_min" | "l0_verify");
                category?: string;
                urgency?: ("normal" | "urgent" | "critical");
                amount: number;
                unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                maxPause?: {
                  amount: number;
                  unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                };
              }[];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    put: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              step: ("l1_forward" | "l2_accept" | "l2_resolve" | "l3_accept" | "l3_resolve" | "feedback" | "human_review" | "contribute" | "referral" | "supervision_min" | "l0_verify");
              category?: string;
              urgency?: ("normal" | "urgent" | "critical");
              amount: number;
              unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
              maxPause?: {
                amount: number;
                unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
              };
            }[];
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                step: ("l1_forward" | "l2_accept" | "l2_resolve" | "l3_accept" | "l3_resolve" | "feedback" | "human_review" | "contribute" | "referral" | "supervision_min" | "l0_verify");
                category?: string;
                urgency?: ("normal" | "urgent" | "critical");
                amount: number;
                unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                maxPause?: {
                  amount: number;
                  unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                };
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/sla-policies/defaults": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  step: ("l1_forward" | "l2_accept" | "l2_resolve" | "l3_accept" | "l3_resolve" | "feedback" | "human_review" | "contribute" | "referral" | "supervision_min" | "l0_verify");
                  category?: string;
                  urgency?: ("normal" | "urgent" | "critical");
                  amount: number;
                  unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                  maxPause?: {
                    amount: number;
                    unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                  };
                }[];
              };
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/stream": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "text/event-stream": string;
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/submissions": {
    get: {
        parameters: {
          query?: {
            state?: ("waiting" | "registered" | "declined" | "forwarded");
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: components["schemas"]["Submission"][];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/submissions/{id}/decline": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              reason: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Submission"];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/submissions/{id}/forward-to-convener": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              note?: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Submission"];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/submissions/{id}/register": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              category?: string;
              subcategory?: string;
              requestType?: ("consult" | "help" | "complaint" | "report" | "suggestion");
              description?: string;
              platform?: string;
              area?: string;
              urgency?: ("normal" | "urgent" | "critical");
              occurredAt?: string;
              algorithm?: {
                orderId: string;
                ruleVersion: string;
                decidedAt: string;
                amount?: number;
              };
              worker?: {
                name?: string;
                phone?: string;
                anonymous?: boolean;
                workerType?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
                platforms?: string[];
                consentToLink?: boolean;
              };
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                reference: string;
                state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                stateLabel: string;
                level: ("branch" | "platform" | "department");
                holderOrgId: string;
                branchOrgId: string;
                platformOrgId: string | null;
                departmentOrgId: string | null;
                supervisingOrgId: string | null;
                category: string;
                subcategory: string | null;
                requestType: string | null;
                platform: string | null;
                area: string | null;
                urgency: string;
                channel: string;
                hotlineOrgId: string | null;
                hotlineOrderNo: string | null;
                algorithm: {
                  orderId: string;
                  ruleVersion: string;
                  decidedAt: string;
                  amount?: number;
                } | null;
                humanReview: {
                  outcome: string;
                  explanation: string;
                  at: string;
                } | null;
                description: string;
                occurredAt: string | null;
                worker: {
                  name: string | null;
                  phone: string | null;
                  anonymous: boolean;
                  workerType: string;
                  platforms: string[];
                };
                resolution: string | null;
                outcome: string | null;
                mergedInto: string | null;
                version: number;
                overdue: boolean;
                dueAt: string | null;
                supervised: boolean;
                onMeetingAgenda: boolean;
                assigneeUserId: string | null;
                createdAt: string;
                updatedAt: string;
                closedAt: string | null;
                holderOrgType: string | null;
                cohandlers: {
                  orgId: string;
                  orgName: string;
                  reason: string;
                  addedAt: string;
                  dueAt: string;
                  contributedAt: string | null;
                  opinion: string | null;
                }[];
                deadlines: {
                  id: string;
                  step: string;
                  level: string;
                  orgId: string;
                  startedAt: string;
                  dueAt: string;
                  warnAt: string;
                  status: ("pending" | "paused" | "met" | "missed" | "cancelled");
                  closedAt: string | null;
                  provisional: boolean;
                }[];
                allowedActions: string[];
                linkedOpenCases?: {
                  count: number;
                  references: string[];
                  cases: {
                    id: string;
                    reference: string;
                  }[];
                };
                actionTargets: {
                  forward?: string[];
                  transfer?: string[];
                  hand_off?: string[];
                  refer?: string[];
                };
                receiptCode?: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/systemic-issues": {
    get: {
        parameters: {
          query?: {
            from?: string;
            to?: string;
            minCases?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  title: string;
                  createdAt: string;
                  cases: {
                    id: string;
                    reference: string;
                    state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                    level: ("branch" | "platform" | "department");
                    holderOrgId: string;
                    category: string;
                    platform: string | null;
                    area: string | null;
                    overdue: boolean;
                  }[];
                  decision: {
                    leadOrgId: string;
                    amount: number;
                    unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                    decision: string;
                    meetingId: string | null;
                    decidedAt: string;
                  } | null;
                }[];
                candidates: {
                  category: string;
                  platform: string | null;
                  area: string | null;
                  openCases: number;
                  caseIds: string[];
                }[];
                minCases: number;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              title: string;
              caseIds: string[];
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                title: string;
                createdAt: string;
                cases: {
                  id: string;
                  reference: string;
                  state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                  level: ("branch" | "platform" | "department");
                  holderOrgId: string;
                  category: string;
                  platform: string | null;
                  area: string | null;
                  overdue: boolean;
                }[];
                decision: {
                  leadOrgId: string;
                  amount: number;
                  unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                  decision: string;
                  meetingId: string | null;
                  decidedAt: string;
                } | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/systemic-issues/{id}/decision": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              leadOrgId: string;
              amount: number;
              unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
              decision: string;
              meetingId?: string;
            };
          };
        };
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                issue: {
                  id: string;
                  title: string;
                  createdAt: string;
                  cases: {
                    id: string;
                    reference: string;
                    state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
                    level: ("branch" | "platform" | "department");
                    holderOrgId: string;
                    category: string;
                    platform: string | null;
                    area: string | null;
                    overdue: boolean;
                  }[];
                  decision: {
                    leadOrgId: string;
                    amount: number;
                    unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
                    decision: string;
                    meetingId: string | null;
                    decidedAt: string;
                  } | null;
                };
                cases: components["schemas"]["Case"][];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          409: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/users": {
    get: {
        parameters: {
          query?: {
            orgId?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                items: {
                  id: string;
                  name: string;
                  orgId: string | null;
                  role: string;
                  active: boolean;
                  createdAt: string;
                  lastUsedAt: string | null;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/json": {
              name: string;
              orgId: string;
              role: ("liaison" | "committee" | "officer" | "convener" | "admin" | "mediator" | "callback" | "hotline");
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                orgId: string | null;
                role: string;
                token: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/users/{id}": {
    delete: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                id: string;
                name: string;
                orgId: string | null;
                role: string;
                active: boolean;
                createdAt: string;
                lastUsedAt: string | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/users/{id}/sign-in-link": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                url: string;
                code: string;
                expiresAt: string;
                qrSvg: string;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/users/{id}/token": {
    post: {
        parameters: {
          query?: never;
          header?: never;
          path: {
            id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                userId: string;
                token: string;
                expiresAt: string | null;
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          414: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          422: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/api/v1/workload": {
    get: {
        parameters: {
          query: {
            orgId: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                orgId: string;
                items: {
                  userId: string;
                  name: string;
                  role: string;
                  active: boolean;
                  open: number;
                  overdue: number;
                }[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          401: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          429: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": components["schemas"]["Error"];
            };
          };
        };
      };
  };
  "/healthz": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                status: string;
                postgres?: string;
                queue?: string;
                replica?: ("ok" | "lagging" | "unavailable");
                calendar?: string;
                reason?: string;
              };
            };
          };
        };
      };
  };
  "/open311/v2/requests.json": {
    get: {
        parameters: {
          query?: {
            service_request_id?: string;
            service_code?: string;
            start_date?: string;
            end_date?: string;
            status?: ("open" | "closed");
            jurisdiction_id?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                service_request_id: string;
                status: ("open" | "closed");
                status_notes: string | null;
                service_name: string | null;
                service_code: string;
                description: string | null;
                agency_responsible: string | null;
                service_notice: string | null;
                requested_datetime: string;
                updated_datetime: string | null;
                expected_datetime: string | null;
                address: string | null;
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              api_key?: string;
              service_code: string;
              description?: string;
              address_string?: string;
              phone?: string;
              lat?: string;
              long?: string;
              address_id?: string;
              email?: string;
              device_id?: string;
              account_id?: string;
              first_name?: string;
              last_name?: string;
              media_url?: string;
              jurisdiction_id?: string;
              [key: string]: unknown;
            };
            "application/json": {
              api_key?: string;
              service_code: string;
              description?: string;
              address_string?: string;
              phone?: string;
              lat?: string;
              long?: string;
              address_id?: string;
              email?: string;
              device_id?: string;
              account_id?: string;
              first_name?: string;
              last_name?: string;
              media_url?: string;
              jurisdiction_id?: string;
              [key: string]: unknown;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                token: string;
                service_notice: string;
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
        };
      };
  };
  "/open311/v2/requests.xml": {
    get: {
        parameters: {
          query?: {
            service_request_id?: string;
            service_code?: string;
            start_date?: string;
            end_date?: string;
            status?: ("open" | "closed");
            jurisdiction_id?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
        };
      };
    post: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              api_key?: string;
              service_code: string;
              description?: string;
              address_string?: string;
              phone?: string;
              lat?: string;
              long?: string;
              address_id?: string;
              email?: string;
              device_id?: string;
              account_id?: string;
              first_name?: string;
              last_name?: string;
              media_url?: string;
              jurisdiction_id?: string;
              [key: string]: unknown;
            };
            "application/json": {
              api_key?: string;
              service_code: string;
              description?: string;
              address_string?: string;
              phone?: string;
              lat?: string;
              long?: string;
              address_id?: string;
              email?: string;
              device_id?: string;
              account_id?: string;
              first_name?: string;
              last_name?: string;
              media_url?: string;
              jurisdiction_id?: string;
              [key: string]: unknown;
            };
          };
        };
        responses: {
          201: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          403: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
        };
      };
  };
  "/open311/v2/requests/{service_request_id}.json": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path: {
            service_request_id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                service_request_id: string;
                status: ("open" | "closed");
                status_notes: string | null;
                service_name: string | null;
                service_code: string;
                description: string | null;
                agency_responsible: string | null;
                service_notice: string | null;
                requested_datetime: string;
                updated_datetime: string | null;
                expected_datetime: string | null;
                address: string | null;
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
        };
      };
  };
  "/open311/v2/requests/{service_request_id}.xml": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path: {
            service_request_id: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
        };
      };
  };
  "/open311/v2/services.json": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                service_code: string;
                service_name: string;
                description: string | null;
                metadata: boolean;
                type: ("realtime" | "batch" | "blackbox");
                keywords: string | null;
                group: string | null;
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
        };
      };
  };
  "/open311/v2/services.xml": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
        };
      };
  };
  "/open311/v2/services/{service_code}.json": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path: {
            service_code: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                service_code: string;
                attributes: Record<string, never>[];
              };
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
        };
      };
  };
  "/open311/v2/services/{service_code}.xml": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path: {
            service_code: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
        };
      };
  };
  "/open311/v2/tokens/{token}.json": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path: {
            token: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                token: string;
                service_request_id?: string;
              }[];
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                code: number;
                description: string;
              }[];
            };
          };
        };
      };
  };
  "/open311/v2/tokens/{token}.xml": {
    get: {
        parameters: {
          query?: {
            jurisdiction_id?: string;
          };
          header?: never;
          path: {
            token: string;
          };
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          400: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
          404: {
            headers: { [name: string]: unknown };
            content: {
              "text/xml": string;
            };
          };
        };
      };
  };
  "/readyz": {
    get: {
        parameters: {
          query?: never;
          header?: never;
          path?: never;
          cookie?: never;
        };
        requestBody?: never;
        responses: {
          200: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                status: string;
                postgres?: string;
                queue?: string;
                replica?: ("ok" | "lagging" | "unavailable");
                calendar?: string;
                reason?: string;
              };
            };
          };
          503: {
            headers: { [name: string]: unknown };
            content: {
              "application/json": {
                status: string;
                postgres?: string;
                queue?: string;
                replica?: ("ok" | "lagging" | "unavailable");
                calendar?: string;
                reason?: string;
              };
            };
          };
        };
      };
  };
}
export interface components {
  schemas: {
    AccountabilityItem: {
        caseId: string;
        reference: string;
        orgId: string;
        orgName: string;
        step: ("l1_forward" | "l2_accept" | "l2_resolve" | "l3_accept" | "l3_resolve" | "feedback" | "supervision" | "pause_limit" | "human_review" | "contribute" | "referral");
        dueAt: string;
        missedAt: string;
        lateHours: number;
        ongoing: boolean;
        decision: string | null;
        meetingId: string | null;
      };
    Case: {
        id: string;
        reference: string;
        state: ("registered" | "branch_awaiting_info" | "forwarded" | "platform_handling" | "platform_awaiting_info" | "handed_off" | "department_handling" | "department_awaiting_info" | "resolved" | "closed" | "withdrawn" | "merged");
        stateLabel: string;
        level: ("branch" | "platform" | "department");
        holderOrgId: string;
        branchOrgId: string;
        platformOrgId: string | null;
        departmentOrgId: string | null;
        supervisingOrgId: string | null;
        category: string;
        subcategory: string | null;
        requestType: string | null;
        platform: string | null;
        area: string | null;
        urgency: string;
        channel: string;
        hotlineOrgId: string | null;
        hotlineOrderNo: string | null;
        algorithm: {
          orderId: string;
          ruleVersion: string;
          decidedAt: string;
          amount?: number;
        } | null;
        humanReview: {
          outcome: string;
          explanation: string;
          at: string;
        } | null;
        description: string;
        occurredAt: string | null;
        worker: {
          name: string | null;
          phone: string | null;
          anonymous: boolean;
          workerType: string;
          platforms: string[];
        };
        resolution: string | null;
        outcome: string | null;
        mergedInto: string | null;
        version: number;
        overdue: boolean;
        dueAt: string | null;
        supervised: boolean;
        onMeetingAgenda: boolean;
        assigneeUserId: string | null;
        createdAt: string;
        updatedAt: string;
        closedAt: string | null;
        holderOrgType: string | null;
        cohandlers: {
          orgId: string;
          orgName: string;
          reason: string;
          addedAt: string;
          dueAt: string;
          contributedAt: string | null;
          opinion: string | null;
        }[];
        deadlines: {
          id: string;
          step: string;
          level: string;
          orgId: string;
          startedAt: string;
          dueAt: string;
          warnAt: string;
          status: ("pending" | "paused" | "met" | "missed" | "cancelled");
          closedAt: string | null;
          provisional: boolean;
        }[];
        allowedActions: string[];
        linkedOpenCases?: {
          count: number;
          references: string[];
          cases: {
            id: string;
            reference: string;
          }[];
        };
        actionTargets: {
          forward?: string[];
          transfer?: string[];
          hand_off?: string[];
          refer?: string[];
        };
      };
    Error: {
        statusCode: number;
        error: string;
        message: string;
        code: string;
        field?: string;
      };
    MeetingSchedule: {
        id: string;
        title: string;
        every: "month";
        firstDay: string;
        nextDraftOn: string;
        createdAt: string;
      };
    Submission: {
        id: string;
        kind: ("grievance" | "suggestion");
        state: ("waiting" | "registered" | "declined" | "forwarded");
        source: ("public" | "open311");
        branchId: string;
        description: string;
        category: string | null;
        phone: string | null;
        anonymous: boolean;
        workerType: string | null;
        platform: string | null;
        area: string | null;
        dueAt: string;
        warnAt: string;
        overdue: boolean;
        caseId: string | null;
        reason: string | null;
        createdAt: string;
        attachments: {
          id: string;
          name: string;
          contentType: string;
          size: number;
        }[];
      };
    action_accept: {
        action: "accept";
      };
    action_add_cohandler: {
        action: "add_cohandler";
        orgIds: string[];
        reason: string;
      };
    action_appeal: {
        action: "appeal";
        reason: string;
      };
    action_approve_extension: {
        action: "approve_extension";
        reason?: string;
      };
    action_assign: {
        action: "assign";
        userId: string;
      };
    action_assign_lead: {
        action: "assign_lead";
        leadOrgId: string;
        amount: number;
        unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
        decision: string;
        meetingId?: string;
      };
    action_contribute: {
        action: "contribute";
        opinion: string;
      };
    action_deny_extension: {
        action: "deny_extension";
        reason?: string;
      };
    action_feedback: {
        action: "feedback";
        rating: ("satisfied" | "basically_satisfied" | "dissatisfied");
        solved?: ("yes" | "partly" | "no");
        comment?: string;
      };
    action_forward: {
        action: "forward";
        toOrgId?: string;
      };
    action_hand_off: {
        action: "hand_off";
        toOrgId?: string;
        reason: string;
      };
    action_human_review: {
        action: "human_review";
        outcome: ("upheld" | "revised" | "revoked");
        explanation: string;
      };
    action_merge: {
        action: "merge";
        intoCaseId?: string;
        intoReference?: string;
      };
    action_provide_info: {
        action: "provide_info";
        answer: string;
      };
    action_reclassify: {
        action: "reclassify";
        category?: string;
        subcategory?: string;
        urgency?: ("normal" | "urgent" | "critical");
        workerType?: ("courier" | "delivery" | "ride_hailing" | "freight" | "streamer" | "other");
        requestType?: ("consult" | "help" | "complaint" | "report" | "suggestion");
        platforms?: string[];
        reason: string;
      };
    action_refer: {
        action: "refer";
        toOrgId: string;
        kind: ("mediation" | "legal_aid" | "arbitration" | "union");
        reason: string;
      };
    action_refer_outcome: {
        action: "refer_outcome";
        outcome: ("settled" | "not_settled" | "declined");
        note: string;
      };
    action_request_extension: {
        action: "request_extension";
        amount: number;
        unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
        reason: string;
      };
    action_request_info: {
        action: "request_info";
        question: string;
      };
    action_resolve: {
        action: "resolve";
        resolution: string;
      };
    action_resume: {
        action: "resume";
        answer: string;
      };
    action_return: {
        action: "return";
        reason: string;
      };
    action_supervise: {
        action: "supervise";
        instructions: string;
        amount: number;
        unit: ("working_days" | "working_hours" | "hours" | "minutes" | "seconds");
      };
    action_transfer: {
        action: "transfer";
        toOrgId: string;
        reason: string;
      };
    action_withdraw: {
        action: "withdraw";
        reason: string;
      };
  };
}
export type operations = Record<string, never>;
