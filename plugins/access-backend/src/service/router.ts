import {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  CallerIdentity,
  HealthResponse,
} from '@jit-access/plugin-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { AccessStore } from '../database/AccessStore';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  store: AccessStore;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, userInfo, store } = options;
  const router = Router();
  router.use(express.json());

  // Unauthenticated (see the plugin's auth policy): load balancers and scripts probe it.
  router.get('/health', async (_req, res) => {
    await store.ping();
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  router.get('/me', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    const body: CallerIdentity = {
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
    res.json(body);
  });

  return router;
}
