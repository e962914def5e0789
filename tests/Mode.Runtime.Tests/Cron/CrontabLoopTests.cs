using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mode.TestKit;

namespace Mode.Runtime.Tests.Cron;

// The services here are wired by hand (not partial, no Mode attributes), the way generated code
// wires them, so the tests exercise Service.RunCrontabAsync and nothing from the generator.
public sealed class CrontabLoopTests
{
    private static readonly DateTimeOffset s_newYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunCrontab_ClockReachesEachOccurrence_RunsThenAndNotBefore()
    {
        // Start exactly on an occurrence: the first run is the next one, not "now".
        var clock = new ManualTimeProvider(s_newYear);
        await using var service = new QuarterHourService { TimeProvider = clock };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();

        clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.False(service.Runs.Reader.TryRead(out _));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(s_newYear.AddMinutes(15), await service.Runs.Reader.ReadAsync().AsTask().Within());

        await clock.WaitForArmedTimersAsync().Within();
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.False(service.Runs.Reader.TryRead(out _));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(s_newYear.AddMinutes(30), await service.Runs.Reader.ReadAsync().AsTask().Within());

        await service.StopAsync().Within();
        Assert.False(service.IsCrashed);
    }

    [Fact]
    public async Task RunCrontab_ClockAdvancesOverSeveralOccurrences_RunsEachOnceInOrder()
    {
        var clock = new ManualTimeProvider(s_newYear);
        await using var service = new QuarterHourService { TimeProvider = clock };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();

        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(s_newYear.AddMinutes(15), await service.Runs.Reader.ReadAsync().AsTask().Within());
        Assert.Equal(s_newYear.AddMinutes(30), await service.Runs.Reader.ReadAsync().AsTask().Within());
        Assert.Equal(s_newYear.AddMinutes(45), await service.Runs.Reader.ReadAsync().AsTask().Within());
        Assert.False(service.Runs.Reader.TryRead(out _));

        await clock.WaitForArmedTimersAsync().Within();
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(s_newYear.AddMinutes(60), await service.Runs.Reader.ReadAsync().AsTask().Within());
        Assert.False(service.Runs.Reader.TryRead(out _));

        await service.StopAsync().Within();
    }

    [Fact]
    public async Task RunCrontab_IncludeSeconds_RunsOnTheSecondsField()
    {
        var clock = new ManualTimeProvider(s_newYear);
        await using var service = new TenSecondsService { TimeProvider = clock };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(service.Runs.Reader.TryRead(out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(s_newYear.AddSeconds(10), await service.Runs.Reader.ReadAsync().AsTask().Within());

        await clock.WaitForArmedTimersAsync().Within();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(s_newYear.AddSeconds(20), await service.Runs.Reader.ReadAsync().AsTask().Within());

        await service.StopAsync().Within();
        Assert.False(service.IsCrashed);
    }

    [Fact]
    public async Task RunCrontab_JobThrows_LogsErrorAndKeepsSchedule()
    {
        var clock = new ManualTimeProvider(s_newYear);
        var logs = new RecordingLoggerFactory();
        await using var service = new QuarterHourService
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Body = static (_, _) => throw new InvalidOperationException("boom"),
        };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();

        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(s_newYear.AddMinutes(15), await service.Runs.Reader.ReadAsync().AsTask().Within());
        var error = await logs.FirstError.Within();
        Assert.Equal("Cron job QuarterHour.Job failed; the schedule continues", error.Message);
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(error.Exception).Message);
        Assert.False(service.IsCrashed);

        await clock.WaitForArmedTimersAsync().Within();
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(s_newYear.AddMinutes(30), await service.Runs.Reader.ReadAsync().AsTask().Within());

        await service.StopAsync().Within();
        Assert.False(service.IsCrashed);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task RunCrontab_StopWhileWaiting_EndsLoopPromptlyWithoutError()
    {
        var clock = new ManualTimeProvider(s_newYear);
        var logs = new RecordingLoggerFactory();
        await using var service = new QuarterHourService { TimeProvider = clock, LoggerFactory = logs };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();

        // No clock movement: the stop itself must wake the cron sleeper.
        await service.StopAsync().Within();

        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Null(service.CrashReason);
        Assert.Empty(service.RunningTasks);
        Assert.Equal(0, clock.ArmedTimers);
        Assert.False(service.Runs.Reader.TryRead(out _));
        Assert.DoesNotContain(logs.Entries, static e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunCrontab_StopWhileJobRuns_CancelsJobWithoutError()
    {
        var clock = new ManualTimeProvider(s_newYear);
        var logs = new RecordingLoggerFactory();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var service = new QuarterHourService
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Body = async (_, cancellationToken) =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                    throw;
                }
            },
        };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();
        clock.Advance(TimeSpan.FromMinutes(15));
        await service.Runs.Reader.ReadAsync().AsTask().Within();

        await service.StopAsync().Within();

        await cancelled.Task.Within();
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Null(service.CrashReason);
        Assert.Empty(service.RunningTasks);
        Assert.DoesNotContain(logs.Entries, static e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunCrontab_TimeZoneAcrossSpringForward_RunsAtLocalWallClock()
    {
        // 09:00 in New York is 14:00Z in winter (EST) and 13:00Z after 2026-03-08 (EDT).
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero));
        await using var service = new NewYorkMorningService { TimeProvider = clock };
        await service.StartAsync().Within();

        await clock.WaitForArmedTimersAsync().Within();
        clock.AdvanceTo(new DateTimeOffset(2026, 3, 7, 14, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 14, 0, 0, TimeSpan.Zero), await service.Runs.Reader.ReadAsync().AsTask().Within());

        await clock.WaitForArmedTimersAsync().Within();
        clock.AdvanceTo(new DateTimeOffset(2026, 3, 8, 12, 59, 59, TimeSpan.Zero));
        Assert.False(service.Runs.Reader.TryRead(out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 13, 0, 0, TimeSpan.Zero), await service.Runs.Reader.ReadAsync().AsTask().Within());

        await service.StopAsync().Within();
    }

    [Fact]
    public async Task RunCrontab_NextOccurrenceBeyondSystemTimerLimit_WaitsWithoutCrashing()
    {
        // TimeProvider.System timers reject due times above uint.MaxValue - 1 ms (about 49.7 days);
        // a yearly job waits far longer than that.
        var manual = new ManualTimeProvider(s_newYear);
        var clock = new SystemLimitedTimeProvider(manual);
        await using var service = new YearlyService { TimeProvider = clock };
        await service.StartAsync().Within();
        await manual.WaitForArmedTimersAsync().Within();
        Assert.False(service.IsCrashed);

        manual.AdvanceTo(s_newYear.AddYears(1).AddSeconds(-1));
        Assert.False(service.Runs.Reader.TryRead(out _));
        manual.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(s_newYear.AddYears(1), await service.Runs.Reader.ReadAsync().AsTask().Within());
        Assert.False(service.IsCrashed);
        await service.StopAsync().Within();
    }

    private abstract class CronTestService : Service
    {
        public Channel<DateTimeOffset> Runs { get; } = Channel.CreateUnbounded<DateTimeOffset>();

        public Func<CronTestService, CancellationToken, ValueTask> Body { get; init; } = static (_, _) => default;

        protected static ValueTask RunAsync(Service service, CancellationToken cancellationToken)
        {
            var self = (CronTestService)service;
            self.Runs.Writer.TryWrite(self.TimeProvider.GetUtcNow());
            return self.Body(self, cancellationToken);
        }
    }

    private sealed class QuarterHourService : CronTestService
    {
        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddCrontab("QuarterHour.Job", "*/15 * * * *", null, static (s, ct) => RunAsync(s, ct));
        }
    }

    private sealed class TenSecondsService : CronTestService
    {
        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddCrontab("TenSeconds.Job", "*/10 * * * * *", null, static (s, ct) => RunAsync(s, ct), includeSeconds: true);
        }
    }

    private sealed class NewYorkMorningService : CronTestService
    {
        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddCrontab("NewYorkMorning.Job", "0 9 * * *", "America/New_York", static (s, ct) => RunAsync(s, ct));
        }
    }

    private sealed class YearlyService : CronTestService
    {
        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddCrontab("Yearly.Job", "@yearly", null, static (s, ct) => RunAsync(s, ct));
        }
    }

    /// <summary>A manual clock whose timers reject the due times System.Threading.Timer rejects.</summary>
    private sealed class SystemLimitedTimeProvider(ManualTimeProvider inner) : TimeProvider
    {
        private const long MaxDueMilliseconds = uint.MaxValue - 1L;

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime);
            return new LimitedTimer(inner.CreateTimer(callback, state, dueTime, period));
        }

        private static void Validate(TimeSpan dueTime)
        {
            if (dueTime != Timeout.InfiniteTimeSpan && (long)dueTime.TotalMilliseconds > MaxDueMilliseconds)
            {
                throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "The due time exceeds what System.Threading.Timer accepts.");
            }
        }

        private sealed class LimitedTimer(ITimer timer) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                Validate(dueTime);
                return timer.Change(dueTime, period);
            }

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    private sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    private sealed class RecordingLoggerFactory : ILoggerFactory, ILoggerProvider, ILogger
    {
        private readonly TaskCompletionSource<LogEntry> _firstError = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public Task<LogEntry> FirstError => _firstError.Task;

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new LogEntry(logLevel, formatter(state, exception), exception);
            Entries.Enqueue(entry);
            if (logLevel >= LogLevel.Error)
            {
                _firstError.TrySetResult(entry);
            }
        }

        public void Dispose()
        {
        }
    }
}
