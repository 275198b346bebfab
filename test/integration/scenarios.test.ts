import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';
import { loadScenarios, playScenario, type Scenario, type Send } from '../support/scenarios.js';

const scenarios = loadScenarios();

describe('conversation scenarios (test/scenarios/*.yaml) on the demo knowledge base', () => {
  let t: TestApp;

  it('has at least 40 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
  });

  async function checkOrders(scenario: Scenario, sessionId: string) {
    const orders = await t.app.minsheng.db.workOrder.findMany({ where: { ownerSessionId: sessionId } });
    if (scenario.workOrders !== undefined) expect(orders).toHaveLength(scenario.workOrders);
    if (scenario.order) {
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject(scenario.order);
    }
  }

  const modes: { name: string; send: () => Send }[] = [
    {
      name: 'in-process engine',
      send: () => (sessionId, text) =>
        t.app.minsheng.engine.handle({ channel: 'web', sessionId, userId: sessionId, text, receivedAt: new Date() }),
    },
    { name: 'POST /api/chat', send: () => (sessionId, text) => chat(t.app, sessionId, text) },
  ];

  for (const [m, mode] of modes.entries()) {
    describe(mode.name, () => {
      // Each mode on its own database: an order filed in one mode would be merged (并单) with the
      // same scenario's order of the other, and its filing reply would differ.
      beforeAll(async () => {
        t = await startTestApp();
      });
      afterAll(async () => {
        await t.close();
      });
      for (const [i, scenario] of scenarios.entries()) {
        it(`${scenario.file}: ${scenario.name}`, async () => {
          const sessionId = await playScenario(scenario, `scenario-m${m}-s${i}`, mode.send());
          await checkOrders(scenario, sessionId);
        });
      }
    });
  }
});
