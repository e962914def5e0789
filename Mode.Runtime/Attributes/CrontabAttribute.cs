namespace Mode;

/// <summary>
/// Marks a method of a <see cref="Service"/> to run on a cron schedule (Mode's <c>@Service.crontab</c>).
/// </summary>
/// <remarks>
/// The expression is five-field cron (<c>minute hour day-of-month month day-of-week</c>), or six
/// fields with a leading <c>second</c> when <see cref="IncludeSeconds"/> is set, parsed by Cronos:
/// lists, ranges (reversed ranges wrap), steps, month and day names, <c>?</c>, <c>L</c> (last day,
/// last weekday <c>5L</c>), <c>W</c> (nearest weekday), <c>#</c> (nth weekday, <c>MON#2</c>), and the
/// macros <c>@hourly</c>, <c>@daily</c>, <c>@weekly</c>, <c>@monthly</c>, <c>@yearly</c>,
/// <c>@every_minute</c>, <c>@every_second</c>. When both day-of-month and day-of-week are restricted,
/// a day matches if either does (POSIX). It is checked at compile time by the MODE006 analyzer with
/// the same parser. Occurrences are computed in <see cref="TimeZone"/> (default UTC) and stay correct
/// across daylight-saving changes. Supported signatures are those of <see cref="TimerAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CrontabAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="expression">A cron expression, e.g. <c>"30 18 * * *"</c>.</param>
    public CrontabAttribute(string expression) => Expression = expression;

    /// <summary>The cron expression.</summary>
    public string Expression { get; }

    /// <summary>
    /// Whether <see cref="Expression"/> starts with a seconds field (six fields:
    /// <c>second minute hour day-of-month month day-of-week</c>, e.g. <c>"*/10 * * * * *"</c> for every
    /// ten seconds). Default <see langword="false"/>: five fields, at second 0.
    /// </summary>
    public bool IncludeSeconds { get; set; }

    /// <summary>An IANA or Windows time-zone id; <see langword="null"/> means UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The job's name in log lines and diagnostics; defaults to <c>Class.Method</c>.</summary>
    public string? Name { get; set; }

    /// <summary>What an unhandled exception does; see <see cref="BackgroundErrorPolicy"/>.</summary>
    public BackgroundErrorPolicy OnError { get; set; }
}
