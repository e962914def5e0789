namespace Mode.Cron;

/// <summary>
/// A <c>[Crontab]</c> expression, parsed by Cronos (<see cref="Cronos.CronExpression"/>), with the
/// few rules Mode adds on top: clear messages for the common mistakes, day-of-month OR day-of-week
/// (POSIX), and expressions that never fire are rejected.
/// </summary>
/// <remarks>
/// <para>Compiled into the runtime and, as a linked source file, into the MODE006 analyzer, so the
/// build and the running program accept exactly the same expressions (both call Cronos through this
/// type). It must therefore compile for netstandard2.0 as well.</para>
/// <para><b>Syntax</b> (docs/cron.md): five fields <c>minute hour day-of-month month day-of-week</c>,
/// or six with a leading <c>second</c> when <c>includeSeconds</c> is set; <c>*</c>, values, ranges
/// (reversed ranges wrap: <c>22-2</c>), lists, steps, month and day names, <c>?</c> (same as
/// <c>*</c>), <c>L</c>, <c>W</c>, <c>LW</c>, <c>L-n</c> in day-of-month, <c>nL</c> and <c>n#k</c> in
/// day-of-week, and the macros <c>@yearly</c>, <c>@annually</c>, <c>@monthly</c>, <c>@weekly</c>,
/// <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>, <c>@every_minute</c>, <c>@every_second</c>.</para>
/// <para><b>Day-of-month and day-of-week.</b> Cronos matches a day when both fields match (AND). Mode
/// keeps the rule of POSIX, Vixie cron and Python Mode (croniter): when both fields are restricted
/// (neither is <c>*</c> nor <c>?</c>), a day matches if <em>either</em> matches, so
/// <c>0 0 13 * FRI</c> fires on every 13th and on every Friday. Such an expression is parsed as two
/// Cronos expressions (one with day-of-week <c>*</c>, one with day-of-month <c>*</c>) and the earlier
/// occurrence wins; all other fields, and so the daylight-saving behaviour, are the same in both.</para>
/// <para><b>Daylight-saving time</b> is Cronos': a wall time the clock skips fires once, at the end
/// of the gap; in a repeated (fall-back) hour an expression with fixed second, minute and hour fires
/// once, in the first instance, while one whose second, minute or hour field uses <c>*</c>, a range
/// or a step fires in both instances.</para>
/// <para>Instances are immutable and thread-safe. Parsing is culture-invariant.</para>
/// </remarks>
internal sealed class CronSchedule
{
    private const string FiveFields = "minute hour day-of-month month day-of-week";
    private const string SixFields = "second minute hour day-of-month month day-of-week";
    private const string Macros = "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every_minute, @every_second";
    private const string CronosPrefix = "The given cron expression has an invalid format. ";

    // Where the search for a first occurrence starts when checking that an expression fires at all.
    // The calendar repeats every 400 years and Cronos searches up to the year 9999, so an expression
    // with no occurrence after this date has none at all.
    private static readonly DateTimeOffset s_fireCheckFrom = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_macros =
    [
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every_minute", "@every_second",
    ];

    private static readonly string[] s_dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly string _text;
    private readonly Cronos.CronExpression _expression;
    private readonly Cronos.CronExpression? _byDayOfWeek;

    private CronSchedule(string text, Cronos.CronExpression expression, Cronos.CronExpression? byDayOfWeek)
    {
        _text = text;
        _expression = expression;
        _byDayOfWeek = byDayOfWeek;
    }

    /// <summary>Parses <paramref name="expression"/>; see the class remarks for the syntax.</summary>
    /// <param name="expression">A cron expression or a macro such as <c>@daily</c>.</param>
    /// <param name="includeSeconds">Whether the expression starts with a seconds field (six fields).</param>
    /// <returns>The parsed schedule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The expression is invalid or never fires; the message quotes it
    /// and says what is wrong, e.g. <c>Cron expression '0 24 * * *': Hours: Value must be a number between 0 and 23 (all inclusive).</c></exception>
    public static CronSchedule Parse(string expression, bool includeSeconds = false)
    {
#if NET6_0_OR_GREATER
        ArgumentNullException.ThrowIfNull(expression);
#else
        if (expression is null)
        {
            throw new ArgumentNullException(nameof(expression));
        }
#endif

        return TryParse(expression, includeSeconds, out var schedule, out var error) ? schedule! : throw new FormatException(error);
    }

    /// <summary>Parses <paramref name="expression"/> without throwing.</summary>
    /// <param name="expression">A cron expression or a macro such as <c>@daily</c>.</param>
    /// <param name="includeSeconds">Whether the expression starts with a seconds field (six fields).</param>
    /// <param name="schedule">The parsed schedule, or <see langword="null"/> when it is invalid.</param>
    /// <param name="error">When invalid, the message <see cref="Parse"/> would throw; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="expression"/> is valid.</returns>
    public static bool TryParse(string expression, bool includeSeconds, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        if (expression is null)
        {
            error = "A cron expression is required, but it was null.";
            return false;
        }

        var detail = TryParseCore(expression, includeSeconds, out schedule);
        error = detail is null ? null : "Cron expression '" + expression + "': " + detail + (detail[detail.Length - 1] == '.' ? "" : ".");
        return detail is null;
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="fromExclusive"/>, in the wall-clock time of
    /// <paramref name="zone"/> (daylight-saving rules in the class remarks).
    /// </summary>
    /// <param name="fromExclusive">The instant to search from; an occurrence equal to it is skipped.</param>
    /// <param name="zone">The zone whose wall clock the fields describe.</param>
    /// <returns>The occurrence with the zone's UTC offset at that instant, or <see langword="null"/>
    /// when there is none before the end of the year 9999.</returns>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset fromExclusive, TimeZoneInfo zone)
    {
        var next = Next(_expression, fromExclusive, zone);
        if (_byDayOfWeek is null)
        {
            return next;
        }

        var byDayOfWeek = Next(_byDayOfWeek, fromExclusive, zone);
        return next is null || (byDayOfWeek is not null && byDayOfWeek.Value < next.Value) ? byDayOfWeek : next;
    }

    private static DateTimeOffset? Next(Cronos.CronExpression expression, DateTimeOffset fromExclusive, TimeZoneInfo zone)
    {
        try
        {
            return expression.GetNextOccurrence(fromExclusive, zone);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Cronos throws when the search runs past DateTime.MaxValue (a clock at the end of time):
            // there is no next occurrence.
            return null;
        }
    }

    /// <summary>The expression as written.</summary>
    /// <returns>The original text.</returns>
    public override string ToString() => _text;

    /// <summary>
    /// Finds a time zone by IANA id (<c>Europe/Berlin</c>) or Windows id (<c>W. Europe Standard Time</c>);
    /// <see langword="null"/> means UTC.
    /// </summary>
    /// <param name="id">The id, or <see langword="null"/> for UTC.</param>
    /// <returns>The zone.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or white space.</exception>
    /// <exception cref="TimeZoneNotFoundException">No zone has that id on this machine.</exception>
    public static TimeZoneInfo FindTimeZone(string? id)
    {
        if (TryFindTimeZone(id, out var zone, out var error))
        {
            return zone!;
        }

        if (id is null || id.Trim().Length == 0)
        {
            throw new ArgumentException(error, nameof(id));
        }

        throw new TimeZoneNotFoundException(error);
    }

    /// <summary>Like <see cref="FindTimeZone"/>, without throwing.</summary>
    /// <param name="id">An IANA or Windows time-zone id; <see langword="null"/> means UTC.</param>
    /// <param name="zone">The zone, or <see langword="null"/> when not found.</param>
    /// <param name="error">When not found, the message <see cref="FindTimeZone"/> would throw.</param>
    /// <returns><see langword="true"/> when the zone was found.</returns>
    public static bool TryFindTimeZone(string? id, out TimeZoneInfo? zone, out string? error)
    {
        error = null;
        if (id is null)
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        if (id.Trim().Length == 0)
        {
            zone = null;
            error = "A time-zone id must not be empty: omit it (null) for UTC, or use an IANA id such as 'Europe/Berlin'.";
            return false;
        }

        zone = FindSystemZone(id);
#if NET6_0_OR_GREATER
        if (zone is null && TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out var windowsId))
        {
            zone = FindSystemZone(windowsId);
        }

        if (zone is null && TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var ianaId))
        {
            zone = FindSystemZone(ianaId);
        }
#endif
        if (zone is null)
        {
            error = "Time zone '" + id + "' was not found: use an IANA id such as 'Europe/Berlin' or 'America/New_York' " +
                "(or a Windows id such as 'W. Europe Standard Time'), or omit it for UTC.";
        }

        return zone is not null;
    }

    // Returns null when valid (and sets schedule), otherwise what is wrong, without the expression.
    private static string? TryParseCore(string expression, bool includeSeconds, out CronSchedule? schedule)
    {
        schedule = null;
        var fields = expression.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var expected = includeSeconds ? 6 : 5;
        var names = includeSeconds ? SixFields : FiveFields;
        if (fields.Length == 0)
        {
            return "it is empty; expected " + (includeSeconds ? "six" : "five") + " fields: " + names;
        }

        var isMacro = fields[0][0] == '@';
        if (isMacro)
        {
            if (string.Equals(fields[0], "@reboot", StringComparison.OrdinalIgnoreCase))
            {
                return "@reboot is not supported; put start-up work in OnStartAsync instead";
            }

            if (Array.FindIndex(s_macros, m => string.Equals(m, fields[0], StringComparison.OrdinalIgnoreCase)) < 0)
            {
                return "unknown macro '" + fields[0] + "'; use one of " + Macros;
            }

            if (fields.Length > 1)
            {
                return "the macro '" + fields[0] + "' must stand alone, without other fields";
            }
        }
        else if (fields.Length != expected)
        {
            return fields.Length == 6 && !includeSeconds
                ? "it has 6 fields; a leading seconds field needs IncludeSeconds = true, otherwise use five: " + FiveFields
                : fields.Length == 7
                    ? "it has 7 fields, but a year field is not supported; use " + (includeSeconds ? "six: " : "five: ") + names
                    : "it has " + fields.Length + (fields.Length == 1 ? " field" : " fields") + "; expected " + (includeSeconds ? "six: " : "five: ") + names;
        }

        var format = includeSeconds ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard;
        if (!isMacro)
        {
            fields[expected - 1] = CloseDayOfWeekSteps(fields[expected - 1]);
        }

        if (!isMacro && IsRestricted(fields[expected - 3]) && IsRestricted(fields[expected - 1]))
        {
            // Both day fields restricted: POSIX's OR, as two expressions (see the class remarks).
            var byDayOfMonth = (string[])fields.Clone();
            byDayOfMonth[expected - 1] = "*";
            var byDayOfWeek = (string[])fields.Clone();
            byDayOfWeek[expected - 3] = "*";
            Cronos.CronExpression? dayOfWeekPart = null;
            var error = TryCronos(string.Join(" ", byDayOfMonth), format, out var dayOfMonthPart)
                ?? TryCronos(string.Join(" ", byDayOfWeek), format, out dayOfWeekPart);
            if (error is not null)
            {
                return error;
            }

            schedule = new CronSchedule(expression, dayOfMonthPart!, dayOfWeekPart);
        }
        else
        {
            var error = TryCronos(isMacro ? expression : string.Join(" ", fields), format, out var whole);
            if (error is not null)
            {
                return error;
            }

            schedule = new CronSchedule(expression, whole!, null);
        }

        if (schedule.GetNextOccurrence(s_fireCheckFrom, TimeZoneInfo.Utc) is null)
        {
            schedule = null;
            var dayOfMonth = fields.Length >= expected ? fields[expected - 3] : "?";
            var month = fields.Length >= expected ? fields[expected - 2] : "?";
            return "day-of-month '" + dayOfMonth + "' never occurs in month '" + month + "', so the job would never run";
        }

        return null;
    }

    private static string? TryCronos(string expression, Cronos.CronFormat format, out Cronos.CronExpression? result)
    {
        result = null;
        try
        {
            result = Cronos.CronExpression.Parse(expression, format);
            return null;
        }
        catch (Cronos.CronFormatException ex)
        {
            var message = ex.Message;
            return message.StartsWith(CronosPrefix, StringComparison.Ordinal) ? message.Substring(CronosPrefix.Length) : message;
        }
        catch (Cronos.MissingSeedException)
        {
            // Cronos' 'H' picks a value from a seed; Mode has no stable seed to give it.
            return "'H' (a value chosen by hashing) is not supported; write the value";
        }
    }

    // Cronos reads an open-ended step in day-of-week, `1/2`, as running up to 7 (Sunday again), so
    // `1/2` would be Monday, Wednesday, Friday *and Sunday*; `*/2` stops at 6. Mode closes such steps
    // at Saturday (`1-6/2`), as the hand-written parser did and as `*/2` does.
    private static string CloseDayOfWeekSteps(string field)
    {
        if (field.IndexOf('/') < 0)
        {
            return field;
        }

        var items = field.Split(',');
        for (var i = 0; i < items.Length; i++)
        {
            var slash = items[i].IndexOf('/');
            var start = slash < 0 ? string.Empty : items[i].Substring(0, slash);
            if (start.Length == 1 && start[0] >= '0' && start[0] <= '6')
            {
                items[i] = items[i].Insert(slash, "-6");
            }
            else if (start.Length == 3 && Array.FindIndex(s_dayNames, d => string.Equals(d, start, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                items[i] = items[i].Insert(slash, "-SAT");
            }
        }

        return string.Join(",", items);
    }

    // '*' and '?' leave a day field unrestricted; anything else (even '*/2') restricts it, as in POSIX.
    private static bool IsRestricted(string field) => field is not ("*" or "?");

    private static TimeZoneInfo? FindSystemZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
        catch (System.Security.SecurityException)
        {
            return null;
        }
    }
}
