import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { APP_CONFIG } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { EXTRA_MIGRATIONS, moduleDatabase } from './module-database';

class ExtraTable1700000000000 implements MigrationInterface {
  name = 'ExtraTable1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "extra_table" ("id" integer PRIMARY KEY)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "extra_table"');
  }
}

describe('moduleDatabase', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mfm-module-db-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the migrations the application gives it after its own, and the storage probe', async () => {
    const config = loadConfig({ DATA_DIR: dir, NODE_ENV: 'test' });
    @Global()
    @Module({
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EXTRA_MIGRATIONS, useValue: [ExtraTable1700000000000] },
      ],
      exports: [APP_CONFIG, EXTRA_MIGRATIONS],
    })
    class Given {}
    const app = await Test.createTestingModule({
      imports: [Given, moduleDatabase('logging', { entities: [], migrations: [] })],
    }).compile();
    try {
      const db = app.get<DataSource>(getDataSourceToken('logging'));
      const tables = await db.query<Array<{ name: string }>>(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      );
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['extra_table', 'storage_probe']),
      );
    } finally {
      await app.close();
    }
  });
});
