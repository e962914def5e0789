using Microsoft.Extensions.Logging;
using Mode.Logging;

namespace Mode.Background;

/// <summary>
/// One <see cref="TaskAttribute"/>, <see cref="TimerAttribute"/> or <see cref="CrontabAttribute"/>
/// method of a service <em>type</em>, as <see cref="ServiceWiring"/> registered it: shared by every
/// instance, it holds no per-service state. <see cref="Start"/> runs it for one service. The
/// arguments are checked by <see cref="ServiceWiring"/>, its only creator.
/// </summary>
/// <remarks>
/// Each kind (<see cref="TaskWork"/>, <see cref="TimerWork"/>, <see cref="CronWork"/>) has its own
/// <c>RunAsync</c>: one state machine per running item that begins with
/// <see cref="BackgroundYield.Create"/> (Mode schedules work; it never runs inside
/// <see cref="Service.StartAsync"/>) and never faults — an exception ends in <see cref="OnEnded"/>.
/// </remarks>
internal abstract class BackgroundWork
{
    private protected BackgroundWork(string name, Func<Service, CancellationToken, ValueTask> body, BackgroundErrorPolicy onError, BackgroundErrorPolicy kindDefault)
    {
        Name = name;
        Body = body;
        OnError = onError switch
        {
            BackgroundErrorPolicy.Default => kindDefault,
            BackgroundErrorPolicy.Crash or BackgroundErrorPolicy.LogAndContinue => onError,
            _ => throw new ArgumentOutOfRangeException(nameof(onError), onError, "Unknown BackgroundErrorPolicy."),
        };
    }

    /// <summary>The name in log lines and diagnostics (<c>Class.Method</c> unless the attribute names it).</summary>
    public string Name { get; }

    /// <summary>Runs the method once on the given service; the token is the service's <see cref="Service.StoppingToken"/>.</summary>
    public Func<Service, CancellationToken, ValueTask> Body { get; }

    /// <summary>What an exception of <see cref="Body"/> does (never <see cref="BackgroundErrorPolicy.Default"/>).</summary>
    public BackgroundErrorPolicy OnError { get; }

    /// <summary>Starts this work for <paramref name="service"/>; the entry's task completes when it ends.</summary>
    public abstract BackgroundEntry Start(Service service);

    /// <summary>
    /// Applies <see cref="OnError"/> to an exception of <see cref="Body"/>: <see langword="true"/> when it
    /// was logged and counted and the work may go on (a timer or cron job keeps its schedule).
    /// </summary>
    protected bool ContinuesAfter(Service service, Exception error)
    {
        if (OnError != BackgroundErrorPolicy.LogAndContinue)
        {
            return false;
        }

        service.CountBackgroundError();
        LogContinuing(service.Logger, error);
        return true;
    }

    /// <summary>
    /// What an exception that ended the work does: nothing on a stop, a warning for another
    /// cancellation, otherwise the error policy — logged, or a crash of the service.
    /// </summary>
    protected void OnEnded(Service service, Exception error)
    {
        if (error is OperationCanceledException)
        {
            // Cancellation on stop is the normal end of background work.
            if (!service.ShouldStop)
            {
                ServiceLog.BackgroundWorkCancelled(service.Logger, error, Name);
            }

            return;
        }

        if (!ContinuesAfter(service, error))
        {
            service.Crash(error);
        }
    }

    /// <summary>Logs an exception the work goes on after (<see cref="BackgroundErrorPolicy.LogAndContinue"/>).</summary>
    private protected abstract void LogContinuing(ILogger log, Exception error);
}

/// <summary>
/// One running item of a service's background work: its task and what it runs — the
/// <see cref="BackgroundWork"/>, a timer's <see cref="TimerSchedule"/>, or a future's name.
/// </summary>
/// <remarks>
/// A struct, so the service's array holds entries inline (no object per item); a plain one, because
/// a record struct's generated equality and printing cost ~10 KB of NativeAOT code.
/// </remarks>
internal readonly struct BackgroundEntry(Task task, object source)
{
    public Task Task { get; } = task;

    /// <summary>The item's name, for diagnostics.</summary>
    public string Name => source switch
    {
        TimerSchedule schedule => schedule.Name,
        BackgroundWork work => work.Name,
        _ => (string)source,
    };

    /// <summary>The schedule when the item is a timer, otherwise <see langword="null"/>.</summary>
    public TimerSchedule? Timer => source as TimerSchedule;
}
