import type { CommandBus, ICommand } from '@nestjs/cqrs';
import type { PlatformMetrics } from './platform-metrics';

/**
 * Times every command through the bus by its class name (suyuan_command_duration_seconds). @nestjs/cqrs has
 * no timing hook, so the bus instance's `execute` is wrapped once, at start; handlers are not touched.
 */
export function timeCommands(bus: CommandBus, metrics: PlatformMetrics): void {
  const execute = bus.execute.bind(bus) as (command: ICommand) => Promise<unknown>;
  (bus as { execute: (command: ICommand) => Promise<unknown> }).execute = (command: ICommand) => {
    const stop = metrics.commandSeconds.startTimer({ type: command.constructor.name });
    return execute(command).then(
      (result) => {
        stop({ outcome: 'ok' });
        return result;
      },
      (err: unknown) => {
        stop({ outcome: 'error' });
        throw err;
      },
    );
  };
}
