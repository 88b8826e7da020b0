import { sendPlan } from './update-send.service';

/** How update emails are cut into batch jobs for the queue's rate limiter. */
describe('sendPlan', () => {
  it.each([1, 7, 10, 50, 100, 250, 300, 333, 999, 1000, 2500, 10000])('never admits more than BROADCAST_RATE_PER_SECOND emails a second, and close to it (%i/s)', (rate) => {
    const { batch, limiter } = sendPlan(rate, 200);
    expect(batch).toBeGreaterThanOrEqual(1);
    expect(batch).toBeLessThanOrEqual(200);
    const perSecond = (limiter.max * batch * 1000) / limiter.duration;
    expect(perSecond).toBeLessThanOrEqual(rate);
    expect(perSecond).toBeGreaterThan(rate * 0.97);
  });

  it('cuts a tenth of a second’s worth, at most UPDATE_SEND_BATCH', () => {
    expect(sendPlan(50, 200).batch).toBe(5);
    expect(sendPlan(10000, 200)).toEqual({ batch: 200, limiter: { max: 50, duration: 1000 } });
    expect(sendPlan(10000, 1000).batch).toBe(1000);
    expect(sendPlan(3, 200)).toEqual({ batch: 1, limiter: { max: 3, duration: 1000 } });
  });
});
