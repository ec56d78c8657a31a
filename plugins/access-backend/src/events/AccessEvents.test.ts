import { AccessEvents } from './AccessEvents';

describe('AccessEvents', () => {
  it('hands each event to its subscribers in order, and to no one else', async () => {
    const events = new AccessEvents();
    const heard: string[] = [];
    events.on('workAvailable', () => {
      heard.push('work 1');
    });
    events.on('statusChanged', async changes => {
      await new Promise(resolve => setTimeout(resolve, 5));
      heard.push(`changed ${changes.map(c => c.requestId).join(',')}`);
    });
    events.on('workAvailable', () => {
      heard.push('work 2');
    });

    await events.emit('workAvailable');
    await events.emit('statusChanged', [
      { requestId: 'a', from: 'granting', to: 'active' },
    ]);

    expect(heard).toEqual(['work 1', 'work 2', 'changed a']);
  });

  it('resolves with nobody listening, and fails when a subscriber fails', async () => {
    const events = new AccessEvents();
    await expect(events.emit('workAvailable')).resolves.toBeUndefined();
    events.on('statusChanged', () => {
      throw new Error('notifications are down');
    });
    await expect(events.emit('statusChanged', [])).rejects.toThrow(
      'notifications are down',
    );
  });
});
