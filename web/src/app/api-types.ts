/**
 * PLACEHOLDER — hand-written in openapi-typescript's output shape so the web app
 * compiles before the server's OpenAPI document exists. It will be replaced by
 * `openapi-typescript http://localhost:3000/api/openapi.json -o web/src/app/api-types.ts`.
 */

export interface paths {
  "/api/auth/login": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": components["schemas"]["LoginRequest"] } };
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { user: components["schemas"]["Me"] } } };
        401: components["responses"]["Problem"];
        429: components["responses"]["Problem"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/logout": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        204: components["responses"]["NoContent"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/me": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { user: components["schemas"]["Me"] } } };
        401: components["responses"]["Problem"];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          page?: number;
          pageSize?: number;
          sort?: string;
          q?: string;
          role?: components["schemas"]["RoleCode"];
          disabled?: "0" | "1" | "true" | "false";
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { "application/json": components["schemas"]["ListMeta"] & { items: components["schemas"]["User"][] } };
        };
        403: components["responses"]["Problem"];
      };
    };
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": components["schemas"]["UserCreate"] } };
      responses: {
        201: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["User"] } };
        400: components["responses"]["Problem"];
        409: components["responses"]["Problem"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users/{id}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": components["schemas"]["UserUpdate"] } };
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["User"] } };
        400: components["responses"]["Problem"];
        404: components["responses"]["Problem"];
      };
    };
    trace?: never;
  };
  "/api/admin/users/{id}/disable": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["User"] } };
        404: components["responses"]["Problem"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users/{id}/enable": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["User"] } };
        404: components["responses"]["Problem"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users/{id}/reset-password": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": { password: string } } };
      responses: {
        204: components["responses"]["NoContent"];
        400: components["responses"]["Problem"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/roles": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { items: components["schemas"]["Role"][] } } };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/permissions": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { "application/json": { items: components["schemas"]["Permission"][] } };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/settings": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { items: components["schemas"]["Setting"][] } } };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/settings/{key}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put: {
      parameters: { query?: never; header?: never; path: { key: string }; cookie?: never };
      requestBody: { content: { "application/json": { value: components["schemas"]["SettingValue"] } } };
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["Setting"] } };
        400: components["responses"]["Problem"];
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/audit": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          page?: number;
          pageSize?: number;
          sort?: string;
          q?: string;
          actor?: string;
          action?: string;
          entity?: string;
          entityId?: string;
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
          content: { "application/json": components["schemas"]["ListMeta"] & { items: components["schemas"]["AuditEntry"][] } };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/audit/{id}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["AuditEntry"] } };
        404: components["responses"]["Problem"];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/audit/verify": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { "application/json": components["schemas"]["AuditVerifyResult"] };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/notifications": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: { page?: number; pageSize?: number; sort?: string; q?: string; unread?: "0" | "1" | "true" | "false" };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { "application/json": components["schemas"]["ListMeta"] & { items: components["schemas"]["Notification"][] } };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/notifications/unread-count": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { count: number } } };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/notifications/{id}/read": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        204: components["responses"]["NoContent"];
        404: components["responses"]["Problem"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/notifications/read-all": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        204: components["responses"]["NoContent"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/calendar": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query: { year: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["CalendarYear"] } };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/calendar/overrides/{date}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put: {
      parameters: { query?: never; header?: never; path: { date: string }; cookie?: never };
      requestBody: { content: { "application/json": components["schemas"]["CalendarOverride"] } };
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": components["schemas"]["CalendarDay"] } };
        400: components["responses"]["Problem"];
      };
    };
    post?: never;
    delete: {
      parameters: { query?: never; header?: never; path: { date: string }; cookie?: never };
      requestBody?: never;
      responses: {
        204: components["responses"]["NoContent"];
        404: components["responses"]["Problem"];
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/me/tokens": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { items: components["schemas"]["ApiToken"][] } } };
      };
    };
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": { name: string; expiresAt?: string | null } } };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: { "application/json": { id: string; name: string; token: string } };
        };
        400: components["responses"]["Problem"];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/me/tokens/{id}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post?: never;
    delete: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        204: components["responses"]["NoContent"];
        404: components["responses"]["Problem"];
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    Problem: {
      type: string;
      title: string;
      status: number;
      code: string;
      detail: string;
      instance?: string;
      errors?: { field: string; code: string; message: string }[];
    } & { [key: string]: unknown };
    ListMeta: { total: number; page: number; pageSize: number };
    LoginRequest: { username: string; password: string };
    /** @enum {string} */
    Locale: "zh-CN" | "en-US";
    /** @enum {string} */
    RoleCode: "admin" | "manager" | "sales" | "reviewer" | "planner" | "production" | "qc" | "warehouse" | "logistics" | "aftersales" | "trainer" | "customer";
    Me: {
      id: string;
      username: string;
      displayName: string;
      locale: components["schemas"]["Locale"];
      roles: string[];
      permissions: string[];
      customerId: string | null;
    };
    User: {
      id: string;
      username: string;
      displayName: string;
      roles: string[];
      customerId: string | null;
      phone: string | null;
      email: string | null;
      locale: string;
      disabled: boolean;
      lastLoginAt: string | null;
      createdAt: string;
    };
    UserCreate: {
      username: string;
      displayName: string;
      password: string;
      roles: components["schemas"]["RoleCode"][];
      phone?: string | null;
      email?: string | null;
      locale?: components["schemas"]["Locale"];
      customerId?: string | null;
    };
    UserUpdate: {
      displayName?: string;
      roles?: components["schemas"]["RoleCode"][];
      phone?: string | null;
      email?: string | null;
      locale?: components["schemas"]["Locale"];
    };
    Role: { code: string; name: string; permissions: string[] };
    Permission: { code: string; name: string };
    SettingValue: unknown;
    Setting: {
      key: string;
      module: string;
      /** @enum {string} */
      type: "integer" | "number" | "boolean" | "string" | "enum";
      options?: string[];
      value: components["schemas"]["SettingValue"];
      defaultValue: components["schemas"]["SettingValue"];
      label: string;
      description: string;
      unit: string | null;
      updatedAt: string | null;
      updatedBy: string | null;
    };
    AuditEntry: {
      id: string;
      seq: number;
      at: string;
      actorId: string | null;
      actorName: string;
      action: string;
      entity: string;
      entityId: string | null;
      ip: string | null;
      before: unknown;
      after: unknown;
      hash: string | null;
    };
    AuditVerifyResult: { ok: boolean; checked: number; firstBadSeq: number | null; reason: string | null };
    Notification: {
      id: string;
      title: string;
      body: string;
      link: string | null;
      createdAt: string;
      readAt: string | null;
    };
    CalendarDay: {
      date: string;
      /** @enum {string} */
      kind: "holiday" | "workday";
      name: string | null;
      /** @enum {string} */
      source: "seed" | "override";
      note: string | null;
    };
    CalendarYear: {
      coveredFrom: number;
      coveredTo: number;
      items: components["schemas"]["CalendarDay"][];
    };
    CalendarOverride: {
      /** @enum {string} */
      kind: "holiday" | "workday";
      note?: string | null;
    };
    ApiToken: {
      id: string;
      name: string;
      createdAt: string;
      expiresAt: string | null;
      lastUsedAt: string | null;
      revokedAt: string | null;
    };
  };
  responses: {
    /** @description RFC 9457 problem details */
    Problem: {
      headers: { [name: string]: unknown };
      content: { "application/json": components["schemas"]["Problem"] };
    };
    /** @description No content */
    NoContent: {
      headers: { [name: string]: unknown };
      content?: never;
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;
export type operations = Record<string, never>;
