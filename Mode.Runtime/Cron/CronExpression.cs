using System.Globalization;

namespace Mode.Cron;

/// <summary>
/// A parsed five-field cron expression (<c>minute hour day-of-month month day-of-week</c>) that
/// computes its next occurrence in the wall-clock time of a <see cref="TimeZoneInfo"/>.
/// </summary>
/// <remarks>
/// <para><b>Syntax.</b> Each field is <c>*</c>, a value, a range <c>a-b</c>, or a comma-separated
/// list of those; any of them may carry a step: <c>*/15</c>, <c>1-30/5</c>, and <c>5/10</c> (from 5 to
/// the field's maximum, every 10). Ranges go from low to high (<c>22-2</c> is rejected; write
/// <c>22-23,0-2</c>). Ranges: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or
/// <c>JAN</c>-<c>DEC</c>, day-of-week 0-7 or <c>SUN</c>-<c>SAT</c> (0 and 7 are Sunday; as the end
/// of a range, <c>SUN</c> or 0 means 7, so <c>FRI-SUN</c> works). Names and
/// macros are case-insensitive. The macros are <c>@yearly</c>/<c>@annually</c> (<c>0 0 1 1 *</c>),
/// <c>@monthly</c> (<c>0 0 1 * *</c>), <c>@weekly</c> (<c>0 0 * * 0</c>), <c>@daily</c>/<c>@midnight</c>
/// (<c>0 0 * * *</c>) and <c>@hourly</c> (<c>0 * * * *</c>). Not supported, each with its own
/// message: <c>@reboot</c>, a seconds or year field (six or seven fields), <c>L</c>, <c>W</c>,
/// <c>#</c> and <c>?</c>. An expression whose day-of-month never occurs in its months
/// (<c>0 0 30 2 *</c>) is rejected, so every accepted expression fires at least once every eight years.</para>
/// <para><b>Day-of-month and day-of-week</b> follow Vixie cron and POSIX: when both fields are
/// restricted (anything but a plain <c>*</c>), a day matches if <em>either</em> matches; when one of
/// them is <c>*</c>, only the other one applies. <c>0 0 13 * FRI</c> fires on every 13th and on every
/// Friday. Unlike Vixie cron, <c>*/2</c> counts as restricted.</para>
/// <para><b>Daylight-saving time</b> (Cronos' rules). Occurrences are wall-clock times in the zone.
/// When the clock jumps forward, a wall time inside the skipped interval does not exist: an occurrence
/// there fires once, at the first instant after the gap (the transition itself; 02:30 on a day
/// that skips 02:00-03:00 fires at 03:00 of the new offset), and several occurrences in the gap
/// collapse into that one instant. When the clock falls back, wall times in the repeated interval
/// happen twice: an expression with a fixed minute and hour (<c>30 1 * * *</c>, also lists and
/// ranges such as <c>0,30 1-2 * * *</c>) fires once, at the first (earlier, daylight) instance; an
/// expression whose minute or hour field uses <c>*</c> or a step (<c>*/30 * * * *</c>,
/// <c>0 * * * *</c>, <c>@hourly</c>) fires in both instances, as elapsed time demands.</para>
/// <para>Instances are immutable and thread-safe. All parsing is culture-invariant.</para>
/// </remarks>
internal sealed class CronExpression
{
    private const int Minute = 0;
    private const int Hour = 1;
    private const int DayOfMonth = 2;
    private const int Month = 3;
    private const int DayOfWeek = 4;
    private const string FieldList = "minute hour day-of-month month day-of-week";

    // The longest real wait between two occurrences of an accepted expression is eight years
    // (29 February across a century that is not a leap year); past this horizon there is none.
    private const int MaxSearchYears = 28;
    private const long MaxOffsetTicks = 14 * TimeSpan.TicksPerHour;

    private static readonly string[] s_fieldNames = ["minute", "hour", "day-of-month", "month", "day-of-week"];
    private static readonly int[] s_minimum = [0, 0, 1, 1, 0];
    private static readonly int[] s_maximum = [59, 23, 31, 12, 7];
    private static readonly int[] s_starMaximum = [59, 23, 31, 12, 6];
    private static readonly int[] s_maxDaysInMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    private static readonly string[] s_monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] s_dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly string _expression;
    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _daysOfMonth;
    private readonly ulong _months;
    private readonly ulong _daysOfWeek;
    private readonly bool _dayOfMonthRestricted;
    private readonly bool _dayOfWeekRestricted;
    private readonly bool _isInterval;

    private CronExpression(string expression, ulong[] fields, bool dayOfMonthRestricted, bool dayOfWeekRestricted, bool isInterval)
    {
        _expression = expression;
        _minutes = fields[Minute];
        _hours = fields[Hour];
        _daysOfMonth = fields[DayOfMonth];
        _months = fields[Month];
        _daysOfWeek = fields[DayOfWeek];
        _dayOfMonthRestricted = dayOfMonthRestricted;
        _dayOfWeekRestricted = dayOfWeekRestricted;
        _isInterval = isInterval;
    }

    /// <summary>
    /// <see langword="true"/> when the minute or hour field uses <c>*</c> or a step, so the expression
    /// fires in both instances of a repeated (fall-back) wall-clock interval.
    /// </summary>
    public bool IsInterval => _isInterval;

    /// <summary>Parses <paramref name="expression"/>; see the class remarks for the syntax.</summary>
    /// <param name="expression">A five-field cron expression or a macro such as <c>@daily</c>.</param>
    /// <returns>The parsed expression.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The expression is invalid or never fires; the message names
    /// the field and says how to fix it, e.g. <c>Cron expression '0 24 * * *': hour value 24 is out of range 0-23.</c></exception>
    public static CronExpression Parse(string expression)
    {
        ThrowIfNull(expression, nameof(expression));
        return ParseCore(expression, out var error) ?? throw new FormatException(error);
    }

    /// <summary>Parses <paramref name="expression"/> without throwing.</summary>
    /// <param name="expression">A five-field cron expression or a macro such as <c>@daily</c>.</param>
    /// <param name="result">The parsed expression, or <see langword="null"/> when it is invalid.</param>
    /// <param name="error">When invalid, the message <see cref="Parse"/> would throw; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="expression"/> is valid.</returns>
    public static bool TryParse(string expression, out CronExpression? result, out string? error)
    {
        if (expression is null)
        {
            result = null;
            error = "A cron expression is required, but it was null.";
            return false;
        }

        result = ParseCore(expression, out error);
        return result is not null;
    }

    /// <summary>
    /// Finds a time zone by IANA id (<c>Europe/Berlin</c>) or Windows id (<c>W. Europe Standard Time</c>);
    /// <see langword="null"/> means UTC.
    /// </summary>
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

    /// <summary>
    /// Returns the first occurrence strictly after <paramref name="fromExclusive"/>, evaluated in the
    /// wall-clock time of <paramref name="zone"/> with the daylight-saving rules in the class remarks.
    /// </summary>
    /// <param name="fromExclusive">The instant to search from; an occurrence equal to it is skipped.</param>
    /// <param name="zone">The zone whose wall clock the fields describe.</param>
    /// <returns>The occurrence, with the zone's UTC offset at that instant; <see langword="null"/> when
    /// there is none within 28 years or before the end of year 9999.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is <see langword="null"/>.</exception>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset fromExclusive, TimeZoneInfo zone)
    {
        ThrowIfNull(zone, nameof(zone));

        var fromUtc = fromExclusive.UtcDateTime;
        var fromOffset = zone.GetUtcOffset(fromUtc);
        var wallTicks = fromUtc.Ticks + fromOffset.Ticks;
        if (wallTicks >= DateTime.MaxValue.Ticks - TimeSpan.TicksPerMinute)
        {
            return null;
        }

        var wall = new DateTime(Math.Max(0, wallTicks), DateTimeKind.Unspecified);
        var afterWall = new DateTime(wall.Ticks - (wall.Ticks % TimeSpan.TicksPerMinute) + TimeSpan.TicksPerMinute, DateTimeKind.Unspecified);
        if (!zone.IsAmbiguousTime(wall))
        {
            return Resolve(NextWall(afterWall), zone);
        }

        // The wall clock is inside a repeated (fall-back) interval. The first instance of each wall
        // time has the larger offset; `transition` is the instant the clock goes back.
        GetAmbiguousOffsets(zone, wall, out var early, out var late);
        var transition = FindOffsetChange(zone, wall.Ticks - early.Ticks, wall.Ticks - late.Ticks, early);
        var overlapStart = new DateTime(transition + late.Ticks, DateTimeKind.Unspecified);
        var overlapEnd = new DateTime(transition + early.Ticks, DateTimeKind.Unspecified);
        DateTime? next;
        if (fromOffset == early)
        {
            next = NextWall(afterWall);
            if (next < overlapEnd)
            {
                return At(next.Value, early);
            }

            if (_isInterval)
            {
                next = NextWall(CeilingToMinute(overlapStart));
                if (next < overlapEnd)
                {
                    return At(next.Value, late);
                }
            }
        }
        else if (_isInterval)
        {
            next = NextWall(afterWall);
            if (next < overlapEnd)
            {
                return At(next.Value, late);
            }
        }

        return Resolve(NextWall(CeilingToMinute(overlapEnd)), zone);
    }

    /// <summary>
    /// Lists the occurrences after <paramref name="fromExclusive"/> up to and including
    /// <paramref name="toInclusive"/>, as repeated calls to <see cref="GetNextOccurrence"/> would.
    /// </summary>
    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, TimeZoneInfo zone)
    {
        ThrowIfNull(zone, nameof(zone));

        return Enumerate(fromExclusive, toInclusive, zone);
    }

    /// <summary>Returns the expression as it was written.</summary>
    public override string ToString() => _expression;

    private IEnumerable<DateTimeOffset> Enumerate(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, TimeZoneInfo zone)
    {
        for (var next = GetNextOccurrence(fromExclusive, zone); next is { } value && value <= toInclusive; next = GetNextOccurrence(value, zone))
        {
            yield return value;
        }
    }

    /// <summary>Maps a matching wall time outside any repeated interval we started in to an instant.</summary>
    private static DateTimeOffset? Resolve(DateTime? wall, TimeZoneInfo zone)
    {
        if (wall is not { } value)
        {
            return null;
        }

        if (zone.IsInvalidTime(value))
        {
            // Skipped by a spring-forward: fire at the transition, the first instant after the gap.
            var transition = FindGapEnd(zone, value.Ticks);
            return At(transition, zone.GetUtcOffset(new DateTime(transition, DateTimeKind.Utc)));
        }

        if (zone.IsAmbiguousTime(value))
        {
            GetAmbiguousOffsets(zone, value, out var early, out _);
            return At(value, early);
        }

        return At(value, zone.GetUtcOffset(value));
    }

    private static DateTimeOffset? At(DateTime wall, TimeSpan offset) => At(wall.Ticks - offset.Ticks, offset);

    private static DateTimeOffset? At(long utcTicks, TimeSpan offset)
    {
        if (utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        var utc = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        var wallTicks = utcTicks + offset.Ticks;
        return offset.Ticks % TimeSpan.TicksPerMinute == 0 && wallTicks >= 0 && wallTicks <= DateTime.MaxValue.Ticks
            ? utc.ToOffset(offset)
            : utc;
    }

    private static void GetAmbiguousOffsets(TimeZoneInfo zone, DateTime wall, out TimeSpan early, out TimeSpan late)
    {
        var offsets = zone.GetAmbiguousTimeOffsets(wall);
        early = offsets[0];
        late = offsets[0];
        foreach (var offset in offsets)
        {
            early = offset > early ? offset : early;
            late = offset < late ? offset : late;
        }
    }

    /// <summary>The first UTC instant in (<paramref name="low"/>, <paramref name="high"/>] whose offset is not <paramref name="before"/>.</summary>
    private static long FindOffsetChange(TimeZoneInfo zone, long low, long high, TimeSpan before)
    {
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (zone.GetUtcOffset(new DateTime(middle, DateTimeKind.Utc)) == before)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return high;
    }

    /// <summary>
    /// The first UTC instant whose wall time is later than the skipped wall time <paramref name="wallTicks"/>:
    /// the spring-forward transition. Offsets never exceed 14 hours, which bounds the search.
    /// </summary>
    private static long FindGapEnd(TimeZoneInfo zone, long wallTicks)
    {
        var low = Math.Max(0, wallTicks - MaxOffsetTicks - 1);
        var high = Math.Min(DateTime.MaxValue.Ticks, wallTicks + MaxOffsetTicks + 1);
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (middle + zone.GetUtcOffset(new DateTime(middle, DateTimeKind.Utc)).Ticks > wallTicks)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    private static DateTime CeilingToMinute(DateTime value)
    {
        var remainder = value.Ticks % TimeSpan.TicksPerMinute;
        return remainder == 0 || value.Ticks > DateTime.MaxValue.Ticks - TimeSpan.TicksPerMinute
            ? value
            : new DateTime(value.Ticks - remainder + TimeSpan.TicksPerMinute, DateTimeKind.Unspecified);
    }

    /// <summary>
    /// The first matching wall time at or after <paramref name="start"/> (whole minutes), ignoring
    /// time zones. Walks field by field (month, day, hour, minute), never minute by minute.
    /// </summary>
    private DateTime? NextWall(DateTime start)
    {
        int year = start.Year, month = start.Month, day = start.Day, hour = start.Hour, minute = start.Minute;
        var lastYear = Math.Min(DateTime.MaxValue.Year, year + MaxSearchYears);
        while (year <= lastYear)
        {
            var nextMonth = NextBit(_months, month);
            if (nextMonth < 0)
            {
                year++;
                month = 1;
                day = 1;
                hour = 0;
                minute = 0;
                continue;
            }

            if (nextMonth != month)
            {
                month = nextMonth;
                day = 1;
                hour = 0;
                minute = 0;
            }

            var nextDay = NextBit(DaysOf(year, month), day);
            if (nextDay < 0)
            {
                month++;
                day = 1;
                hour = 0;
                minute = 0;
                continue;
            }

            if (nextDay != day)
            {
                day = nextDay;
                hour = 0;
                minute = 0;
            }

            var nextHour = NextBit(_hours, hour);
            if (nextHour < 0)
            {
                day++;
                hour = 0;
                minute = 0;
                continue;
            }

            if (nextHour != hour)
            {
                hour = nextHour;
                minute = 0;
            }

            var nextMinute = NextBit(_minutes, minute);
            if (nextMinute < 0)
            {
                hour++;
                minute = 0;
                continue;
            }

            return new DateTime(year, month, day, hour, nextMinute, 0, DateTimeKind.Unspecified);
        }

        return null;
    }

    /// <summary>The matching days of one month as bits 1-31, with the day-of-month/day-of-week OR rule.</summary>
    private ulong DaysOf(int year, int month)
    {
        var daysInMonth = DateTime.DaysInMonth(year, month);
        var byDayOfMonth = _daysOfMonth & ((1UL << (daysInMonth + 1)) - 2);
        if (!_dayOfWeekRestricted)
        {
            return byDayOfMonth;
        }

        var byDayOfWeek = 0UL;
        var dayOfWeek = (int)new DateTime(year, month, 1).DayOfWeek;
        for (var day = 1; day <= daysInMonth; day++)
        {
            if ((_daysOfWeek & (1UL << dayOfWeek)) != 0)
            {
                byDayOfWeek |= 1UL << day;
            }

            dayOfWeek = dayOfWeek == 6 ? 0 : dayOfWeek + 1;
        }

        return _dayOfMonthRestricted ? byDayOfMonth | byDayOfWeek : byDayOfWeek;
    }

    /// <summary>The lowest set bit at or above <paramref name="from"/>, or -1.</summary>
    private static int NextBit(ulong bits, int from)
    {
        if (from > 63)
        {
            return -1;
        }

        var rest = bits >> from;
        return rest == 0 ? -1 : from + TrailingZeroCount(rest);
    }

    private static int TrailingZeroCount(ulong value)
    {
#if NETCOREAPP3_0_OR_GREATER
        return System.Numerics.BitOperations.TrailingZeroCount(value);
#else
        var count = 0;
        while ((value & 1) == 0)
        {
            value >>= 1;
            count++;
        }

        return count;
#endif
    }

    private static CronExpression? ParseCore(string expression, out string? error)
    {
        var fields = SplitFields(expression);
        if (fields.Count == 0)
        {
            error = Fail(expression, "it is empty; expected five fields: " + FieldList);
            return null;
        }

        if (fields[0][0] == '@')
        {
            if (fields.Count > 1)
            {
                error = Fail(expression, "the macro '" + fields[0] + "' must stand alone, without other fields");
                return null;
            }

            var expanded = ExpandMacro(fields[0].ToUpperInvariant());
            if (expanded is null)
            {
                error = Fail(
                    expression,
                    string.Equals(fields[0], "@reboot", StringComparison.OrdinalIgnoreCase)
                        ? "@reboot is not supported; put start-up work in OnStartAsync instead"
                        : "unknown macro '" + fields[0] + "'; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly");
                return null;
            }

            fields = SplitFields(expanded);
        }

        if (fields.Count != 5)
        {
            error = Fail(
                expression,
                fields.Count > 5
                    ? "it has " + Number(fields.Count) + " fields, but seconds and year fields are not supported; use five fields: " + FieldList
                    : "it has " + Number(fields.Count) + (fields.Count == 1 ? " field" : " fields") + "; expected five: " + FieldList);
            return null;
        }

        var bits = new ulong[5];
        for (var field = 0; field < 5; field++)
        {
            if (!TryParseField(fields[field], field, out bits[field], out var detail))
            {
                error = Fail(expression, detail!);
                return null;
            }
        }

        // Day-of-week 7 is Sunday, like 0.
        if ((bits[DayOfWeek] & (1UL << 7)) != 0)
        {
            bits[DayOfWeek] = (bits[DayOfWeek] & ~(1UL << 7)) | 1UL;
        }

        var dayOfMonthRestricted = fields[DayOfMonth] != "*";
        var dayOfWeekRestricted = fields[DayOfWeek] != "*";
        if (dayOfMonthRestricted && !dayOfWeekRestricted && !AnyMonthHasDay(bits[Month], bits[DayOfMonth]))
        {
            error = Fail(
                expression,
                "day-of-month '" + fields[DayOfMonth] + "' never occurs in month '" + fields[Month] + "', so the job would never run");
            return null;
        }

        var isInterval = IsIntervalField(fields[Minute]) || IsIntervalField(fields[Hour]);
        error = null;
        return new CronExpression(expression, bits, dayOfMonthRestricted, dayOfWeekRestricted, isInterval);
    }

    private static string? ExpandMacro(string upper) => upper switch
    {
        "@YEARLY" or "@ANNUALLY" => "0 0 1 1 *",
        "@MONTHLY" => "0 0 1 * *",
        "@WEEKLY" => "0 0 * * 0",
        "@DAILY" or "@MIDNIGHT" => "0 0 * * *",
        "@HOURLY" => "0 * * * *",
        _ => null,
    };

    private static bool IsIntervalField(string text) => Contains(text, '*') || Contains(text, '/');

    private static bool AnyMonthHasDay(ulong months, ulong daysOfMonth)
    {
        var firstDay = NextBit(daysOfMonth, 1);
        for (var month = 1; month <= 12; month++)
        {
            if ((months & (1UL << month)) != 0 && firstDay <= s_maxDaysInMonth[month])
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> SplitFields(string expression)
    {
        var fields = new List<string>(5);
        var start = -1;
        for (var i = 0; i <= expression.Length; i++)
        {
            var separator = i == expression.Length || char.IsWhiteSpace(expression[i]);
            if (separator && start >= 0)
            {
                fields.Add(expression.Substring(start, i - start));
                start = -1;
            }
            else if (!separator && start < 0)
            {
                start = i;
            }
        }

        return fields;
    }

    private static bool TryParseField(string text, int field, out ulong bits, out string? error)
    {
        bits = 0;
        var name = s_fieldNames[field];
        if (Contains(text, '?'))
        {
            error = name + " field '" + text + "' uses '?', which is not supported; use '*' instead";
            return false;
        }

        if (Contains(text, '#'))
        {
            error = name + " field '" + text + "' uses '#' (nth weekday of the month), which is not supported";
            return false;
        }

        var minimum = s_minimum[field];
        var starMaximum = s_starMaximum[field];
        foreach (var item in text.Split(','))
        {
            if (item.Length == 0)
            {
                error = name + " field '" + text + "' has an empty list item";
                return false;
            }

            var slash = item.IndexOf('/');
            var range = slash < 0 ? item : item.Substring(0, slash);
            var step = 1;
            if (slash >= 0)
            {
                var stepText = item.Substring(slash + 1);
                var maxStep = starMaximum - minimum;
                if (!TryParseDigits(stepText, out step))
                {
                    error = name + " step '" + stepText + "' is not a number";
                    return false;
                }

                if (step < 1 || step > maxStep)
                {
                    error = name + " step " + stepText + " is out of range 1-" + Number(maxStep);
                    return false;
                }
            }

            int low, high;
            if (range == "*")
            {
                low = minimum;
                high = starMaximum;
            }
            else
            {
                var dash = range.IndexOf('-');
                if (dash < 0)
                {
                    if (!TryParseValue(text, range, field, out low, out error))
                    {
                        return false;
                    }

                    high = slash >= 0 ? Math.Max(low, starMaximum) : low;
                }
                else
                {
                    if (!TryParseValue(text, range.Substring(0, dash), field, out low, out error) ||
                        !TryParseValue(text, range.Substring(dash + 1), field, out high, out error))
                    {
                        return false;
                    }

                    if (field == DayOfWeek && high == 0 && low > 0)
                    {
                        // FRI-SUN: Sunday as the upper bound is day 7.
                        high = 7;
                    }

                    if (low > high)
                    {
                        error = ReversedRange(name, field, range.Substring(0, dash), range.Substring(dash + 1));
                        return false;
                    }
                }
            }

            for (var value = low; value <= high; value += step)
            {
                bits |= 1UL << value;
            }
        }

        error = null;
        return true;
    }

    private static string ReversedRange(string name, int field, string low, string high)
    {
        var lowIsName = !TryParseDigits(low, out _);
        var highIsName = !TryParseDigits(high, out _);
        var last = field switch
        {
            Month => lowIsName ? "DEC" : "12",
            DayOfWeek => lowIsName ? "SAT" : "6",
            _ => Number(s_maximum[field]),
        };
        var first = field switch
        {
            Month => highIsName ? "JAN" : "1",
            DayOfWeek => highIsName ? "SUN" : "0",
            _ => Number(s_minimum[field]),
        };
        return name + " range " + low + "-" + high + " is reversed; ranges go from low to high, so write it as two ranges: '" +
            low + "-" + last + "," + first + "-" + high + "'";
    }

    private static bool TryParseValue(string fieldText, string token, int field, out int value, out string? error)
    {
        var name = s_fieldNames[field];
        error = null;
        if (token.Length == 0)
        {
            value = 0;
            error = name + " field '" + fieldText + "' has an empty value";
            return false;
        }

        if (TryParseDigits(token, out value))
        {
            if (value < s_minimum[field] || value > s_maximum[field])
            {
                error = name + " value " + token + " is out of range " + Number(s_minimum[field]) + "-" + Number(s_maximum[field]);
                return false;
            }

            return true;
        }

        var names = field == Month ? s_monthNames : field == DayOfWeek ? s_dayNames : null;
        if (names is not null)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (string.Equals(token, names[i], StringComparison.OrdinalIgnoreCase))
                {
                    value = field == Month ? i + 1 : i;
                    return true;
                }
            }
        }

        var upper = token.ToUpperInvariant();
        var last = upper[upper.Length - 1];
        var dayField = field is DayOfMonth or DayOfWeek;
        if (dayField && (upper == "L" || upper == "LW" || (last == 'L' && upper.Length > 1)))
        {
            error = name + " field '" + fieldText + "' uses 'L' (last day), which is not supported";
        }
        else if (dayField && last == 'W' && upper.Length > 1 && TryParseDigits(upper.Substring(0, upper.Length - 1), out _))
        {
            error = name + " field '" + fieldText + "' uses 'W' (nearest weekday), which is not supported";
        }
        else
        {
            error = field switch
            {
                Month => name + " value '" + token + "' is not a number or a month name (JAN-DEC)",
                DayOfWeek => name + " value '" + token + "' is not a number or a day name (SUN-SAT)",
                _ => name + " value '" + token + "' is not a number",
            };
        }

        return false;
    }

    /// <summary>Parses ASCII digits only (no sign, no white space); values above 9999 are clamped, which keeps them out of range.</summary>
    private static bool TryParseDigits(string text, out int value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                value = 0;
                return false;
            }

            value = Math.Min(10_000, (value * 10) + (c - '0'));
        }

        return true;
    }

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
        catch (ArgumentException)
        {
            return null;
        }
    }

    // string.Contains(char) and ArgumentNullException.ThrowIfNull are missing from netstandard2.0,
    // where the MODE006 analyzer compiles this same file.
    private static bool Contains(string text, char value)
    {
        foreach (var c in text)
        {
            if (c == value)
            {
                return true;
            }
        }

        return false;
    }

    private static void ThrowIfNull(object? value, string name)
    {
#if NET6_0_OR_GREATER
        ArgumentNullException.ThrowIfNull(value, name);
#else
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }
#endif
    }

    private static string Fail(string expression, string detail) => "Cron expression '" + expression + "': " + detail + ".";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
