namespace Mode;

/// <summary>
/// Marks a method of a <see cref="Service"/> to run on a cron schedule (Mode's <c>@Service.crontab</c>).
/// </summary>
/// <remarks>
/// The expression is standard five-field cron (<c>minute hour day-of-month month day-of-week</c>) with
/// lists, ranges, steps, month and day names, and the <c>@hourly</c>, <c>@daily</c>, <c>@weekly</c>,
/// <c>@monthly</c>, <c>@yearly</c> macros. It is checked at compile time by the MODE006 analyzer.
/// Occurrences are computed in <see cref="TimeZone"/> (default UTC) and stay correct across
/// daylight-saving changes. Supported signatures are those of <see cref="TimerAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CrontabAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="expression">A five-field cron expression, e.g. <c>"30 18 * * *"</c>.</param>
    public CrontabAttribute(string expression) => Expression = expression;

    /// <summary>The cron expression.</summary>
    public string Expression { get; }

    /// <summary>An IANA or Windows time-zone id; <see langword="null"/> means UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The job's name in log lines and diagnostics; defaults to <c>Class.Method</c>.</summary>
    public string? Name { get; set; }

    /// <summary>What an unhandled exception does; see <see cref="BackgroundErrorPolicy"/>.</summary>
    public BackgroundErrorPolicy OnError { get; set; }
}
