using Microsoft.Extensions.Logging;
using Mode.Cron;
using Mode.Internal;
using Mode.Logging;

namespace Mode.Background;

/// <summary>
/// A <see cref="CrontabAttribute"/> method: runs at each occurrence of a cron expression, computed in
/// a time zone (default UTC), until the service stops.
/// </summary>
/// <remarks>
/// The only type that knows which cron parser is used: <see cref="ParseSchedule"/> turns the
/// expression into an <see cref="ICronSchedule"/> (Cronos, through <see cref="CronSchedule"/>). It is created only by
/// <see cref="ServiceWiring.AddCrontab"/>, so a NativeAOT app without cron jobs trims the parser and
/// the time-zone database reader away.
/// </remarks>
internal sealed class CronWork(string name, string expression, string? timeZone, bool includeSeconds, Func<Service, CancellationToken, ValueTask> body, BackgroundErrorPolicy onError)
    : BackgroundWork(name, body, onError, kindDefault: BackgroundErrorPolicy.LogAndContinue)
{
    // System timers reject due times beyond about 49.7 days, which a yearly job exceeds: wait in
    // chunks of at most a day, re-reading the clock after each.
    private static readonly TimeSpan s_maxSleep = TimeSpan.FromDays(1);

    /// <summary>The cron expression as written.</summary>
    public string Expression { get; } = expression;

    /// <summary>The time-zone id, or <see langword="null"/> for UTC.</summary>
    public string? TimeZone { get; } = timeZone;

    /// <summary>Whether <see cref="Expression"/> starts with a seconds field.</summary>
    public bool IncludeSeconds { get; } = includeSeconds;

    /// <inheritdoc/>
    public override BackgroundEntry Start(Service service) => new(RunAsync(service), this);

    /// <summary>Parses <see cref="Expression"/> (with Cronos, through <see cref="CronSchedule"/>) in <see cref="TimeZone"/>.</summary>
    /// <exception cref="FormatException">The expression is invalid.</exception>
    /// <exception cref="TimeZoneNotFoundException">The time zone is unknown.</exception>
    internal ICronSchedule ParseSchedule() =>
        new ParsedCronSchedule(CronSchedule.Parse(Expression, IncludeSeconds), CronSchedule.FindTimeZone(TimeZone));

    private protected override void LogContinuing(ILogger log, Exception error) => ServiceLog.CronJobFailed(log, error, Name);

    private async Task RunAsync(Service service)
    {
        var ctx = service.ContinueOnCapturedContext;
        await BackgroundYield.Create().ConfigureAwait(ctx);
        if (service.ShouldStop)
        {
            return;
        }

        var token = service.StoppingToken;
        try
        {
            var schedule = ParseSchedule();
            var clock = service.TimeProvider;
            var sleeper = new Sleeper(service, pooled: false);
            try
            {
                var last = clock.GetUtcNow();
                while (!service.ShouldStop)
                {
                    var now = clock.GetUtcNow();
                    var next = schedule.NextOccurrenceAfter(now > last ? now : last);
                    if (next is null)
                    {
                        ServiceLog.CronJobExhausted(service.Logger, Name, Expression);
                        return;
                    }

                    var delay = next.Value - now;
                    while (delay > s_maxSleep)
                    {
                        if (!await sleeper.SleepAsync(s_maxSleep, default).ConfigureAwait(ctx) || service.ShouldStop)
                        {
                            return;
                        }

                        delay = next.Value - clock.GetUtcNow();
                    }

                    if (!await sleeper.SleepAsync(delay, default).ConfigureAwait(ctx) || service.ShouldStop)
                    {
                        return;
                    }

                    // A timer may fire a hair early against the wall clock: the occurrence is still `next`.
                    last = next.Value;
                    // Faust #578: by default one failing cron job does not take the worker down.
                    try
                    {
                        await Body(service, token).ConfigureAwait(ctx);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && ContinuesAfter(service, ex))
                    {
                    }
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

    /// <summary>The cron parser behind one method: the next occurrence strictly after a time.</summary>
    internal interface ICronSchedule
    {
        /// <summary>The first occurrence after <paramref name="time"/>, or <see langword="null"/> when there is none.</summary>
        DateTimeOffset? NextOccurrenceAfter(DateTimeOffset time);
    }

    private sealed class ParsedCronSchedule(CronSchedule expression, TimeZoneInfo zone) : ICronSchedule
    {
        public DateTimeOffset? NextOccurrenceAfter(DateTimeOffset time) => expression.GetNextOccurrence(time, zone);
    }
}
