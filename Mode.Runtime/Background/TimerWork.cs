using Microsoft.Extensions.Logging;
using Mode.Internal;
using Mode.Logging;

namespace Mode.Background;

/// <summary>
/// A <see cref="TimerAttribute"/> method: ticks against absolute deadlines (tick <c>k</c> at
/// <c>start + k·interval</c>, see <see cref="TimerSchedule"/>) until the service stops. The body is
/// awaited inline, so ticks never overlap.
/// </summary>
internal sealed class TimerWork : BackgroundWork
{
    /// <param name="name">The timer's name.</param>
    /// <param name="interval">The interval (already validated: positive).</param>
    /// <param name="body">One tick.</param>
    /// <param name="execFirst">Also run the body once right at start.</param>
    /// <param name="maxDriftCorrection">A lateness under this is never counted as drift.</param>
    /// <param name="onError">What an exception of a tick does.</param>
    public TimerWork(string name, TimeSpan interval, Func<Service, CancellationToken, ValueTask> body, bool execFirst, TimeSpan maxDriftCorrection, BackgroundErrorPolicy onError)
        : base(name, body, onError, kindDefault: BackgroundErrorPolicy.Crash)
    {
        Interval = interval;
        ExecFirst = execFirst;
        MaxDriftCorrection = maxDriftCorrection;
        // Mode's max_drift = min(0.3·interval, 1.2 s); a lateness under MaxDriftCorrection is never drift.
        var modeMaxDrift = TimeSpan.FromTicks(Math.Min((long)(interval.Ticks * 0.3), TimeSpan.FromSeconds(1.2).Ticks));
        DriftThreshold = modeMaxDrift > maxDriftCorrection ? modeMaxDrift : maxDriftCorrection;
    }

    /// <summary>The interval between ticks.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Whether the body also runs once right at start.</summary>
    public bool ExecFirst { get; }

    /// <summary>See <see cref="TimerAttribute.MaxDriftCorrection"/>.</summary>
    public TimeSpan MaxDriftCorrection { get; }

    /// <summary>How late a wake-up must be to count (and be logged) as drift.</summary>
    public TimeSpan DriftThreshold { get; }

    /// <summary>Turns a <see cref="TimerAttribute.Seconds"/> value into an interval.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a finite number of seconds greater than zero.</exception>
    internal static TimeSpan ValidateInterval(double seconds, string paramName)
    {
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new ArgumentOutOfRangeException(paramName, seconds, "A timer interval must be a finite number of seconds greater than zero.");
        }

        return TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
    }

    /// <inheritdoc/>
    public override BackgroundEntry Start(Service service)
    {
        var schedule = new TimerSchedule(service, this);
        var probe = service.TestProbe;
        probe?.Enter();
        return new(RunAsync(service, schedule, probe), schedule);
    }

    private protected override void LogContinuing(ILogger log, Exception error) => ServiceLog.TimerFailed(log, error, Name);

    /// <summary>The timer's whole run in one state machine (yield, loop, error handling): one box per timer.</summary>
    private async Task RunAsync(Service service, TimerSchedule schedule, IdleProbe? probe)
    {
        var ctx = service.ContinueOnCapturedContext;
        await BackgroundYield.Create().ConfigureAwait(ctx);
        if (service.ShouldStop)
        {
            probe?.Exit();
            return;
        }

        var token = service.StoppingToken;
        try
        {
            // Under a test probe the sleeper takes over the start's busy count (released once armed).
            var sleeper = new Sleeper(service, pooled: false, probe);
            try
            {
                schedule.Start();
                if (ExecFirst)
                {
                    try
                    {
                        probe?.BeforeRun(service, Name);
                        await Body(service, token).ConfigureAwait(ctx);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && ContinuesAfter(service, ex))
                    {
                    }
                }

                while (!service.ShouldStop)
                {
                    if (!await sleeper.SleepAsync(schedule.DelayUntilNext(), default).ConfigureAwait(ctx) || service.ShouldStop)
                    {
                        return;
                    }

                    schedule.OnWake();
                    try
                    {
                        probe?.BeforeRun(service, Name);
                        await Body(service, token).ConfigureAwait(ctx);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && ContinuesAfter(service, ex))
                    {
                    }

                    schedule.OnTickDone();
                }
            }
            finally
            {
                sleeper.Dispose();
            }
        }
        catch (Exception ex)
        {
            OnEnded(service, ex);
        }
    }
}
