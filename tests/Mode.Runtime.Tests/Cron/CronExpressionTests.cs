using System.Globalization;
using Mode.Cron;

namespace Mode.Runtime.Tests.Cron;

public sealed class CronExpressionTests
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:sszzz";

    // Each row: expression, zone ("UTC" or an IANA id), from (exclusive), expected next occurrence.
    // Times carry their offset; the assertion checks the instant and the zone offset of the result.
    public static TheoryData<string, string, string, string> Occurrences => new()
    {
        // Every syntax form.
        { "* * * * *", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-01T00:01:00+00:00" },
        { "* * * * *", "UTC", "2026-01-01T00:00:30+00:00", "2026-01-01T00:01:00+00:00" },
        { "5 * * * *", "UTC", "2026-01-01T00:05:00+00:00", "2026-01-01T01:05:00+00:00" },
        { "*/15 * * * *", "UTC", "2026-01-01T00:14:59+00:00", "2026-01-01T00:15:00+00:00" },
        { "*/15 * * * *", "UTC", "2026-01-01T00:45:00+00:00", "2026-01-01T01:00:00+00:00" },
        { "1-30/5 * * * *", "UTC", "2026-01-01T00:26:00+00:00", "2026-01-01T01:01:00+00:00" },
        { "5/10 * * * *", "UTC", "2026-01-01T00:55:00+00:00", "2026-01-01T01:05:00+00:00" },
        { "0,30 9-17 * * *", "UTC", "2026-01-01T09:30:00+00:00", "2026-01-01T10:00:00+00:00" },
        { "0,30 9-17 * * *", "UTC", "2026-01-01T17:30:00+00:00", "2026-01-02T09:00:00+00:00" },
        { "0 9-17/4 * * *", "UTC", "2026-01-01T13:00:00+00:00", "2026-01-01T17:00:00+00:00" },
        { "0 0 1,15 * *", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-15T00:00:00+00:00" },
        { "0 12 * 3/4 *", "UTC", "2026-03-31T12:00:00+00:00", "2026-07-01T12:00:00+00:00" },
        // Names, case-insensitive; day-of-week 0 and 7 are Sunday (2026-01-01 is a Thursday).
        { "0 0 1 JAN *", "UTC", "2026-01-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00" },
        { "0 0 1 mar-may *", "UTC", "2026-01-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00" },
        { "0 8 * * MON-FRI", "UTC", "2026-01-02T08:00:00+00:00", "2026-01-05T08:00:00+00:00" },
        { "0 0 * * sun", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-04T00:00:00+00:00" },
        { "0 0 * * 0", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-04T00:00:00+00:00" },
        { "0 0 * * 7", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-04T00:00:00+00:00" },
        { "0 0 * * FRI-SUN", "UTC", "2026-01-04T00:00:00+00:00", "2026-01-09T00:00:00+00:00" },
        { "0 0 * * 6-7", "UTC", "2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00" },
        { "0 0 * * */2", "UTC", "2026-01-04T00:00:00+00:00", "2026-01-06T00:00:00+00:00" },
        { "0 0 * * Sat,sun", "UTC", "2026-01-04T00:00:00+00:00", "2026-01-10T00:00:00+00:00" },
        // Macros.
        { "@yearly", "UTC", "2026-01-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00" },
        { "@annually", "UTC", "2026-06-15T00:00:00+00:00", "2027-01-01T00:00:00+00:00" },
        { "@monthly", "UTC", "2026-01-31T23:59:00+00:00", "2026-02-01T00:00:00+00:00" },
        { "@weekly", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-04T00:00:00+00:00" },
        { "@daily", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00" },
        { "@midnight", "UTC", "2026-01-01T12:00:00+00:00", "2026-01-02T00:00:00+00:00" },
        { "@hourly", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-01T01:00:00+00:00" },
        { "@HOURLY", "UTC", "2026-01-01T00:59:59+00:00", "2026-01-01T01:00:00+00:00" },
        // Day-of-month and day-of-week: OR when both are restricted, otherwise only the restricted one.
        { "0 0 13 * FRI", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00" },
        { "0 0 13 * FRI", "UTC", "2026-01-09T00:00:00+00:00", "2026-01-13T00:00:00+00:00" },
        { "0 0 1-7 * MON", "UTC", "2026-01-07T00:00:00+00:00", "2026-01-12T00:00:00+00:00" },
        { "0 0 * * MON", "UTC", "2026-01-07T00:00:00+00:00", "2026-01-12T00:00:00+00:00" },
        { "0 0 13 * *", "UTC", "2026-01-02T00:00:00+00:00", "2026-01-13T00:00:00+00:00" },
        { "0 0 */10 * MON", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-05T00:00:00+00:00" },
        // Month ends: months without the day are skipped.
        { "0 0 31 * *", "UTC", "2026-01-31T00:00:00+00:00", "2026-03-31T00:00:00+00:00" },
        { "0 0 31 * *", "UTC", "2026-03-31T00:00:00+00:00", "2026-05-31T00:00:00+00:00" },
        { "0 0 30 * *", "UTC", "2026-01-30T00:00:00+00:00", "2026-03-30T00:00:00+00:00" },
        { "0 0 31 2,4,5 *", "UTC", "2026-01-01T00:00:00+00:00", "2026-05-31T00:00:00+00:00" },
        // Leap years: 2100 is not one, so 29 February skips eight years.
        { "0 0 29 2 *", "UTC", "2026-01-01T00:00:00+00:00", "2028-02-29T00:00:00+00:00" },
        { "0 0 29 2 *", "UTC", "2096-02-29T00:00:00+00:00", "2104-02-29T00:00:00+00:00" },
        { "0 0 28-29 2 *", "UTC", "2027-02-28T00:00:00+00:00", "2028-02-28T00:00:00+00:00" },
        { "0 0 29 2 *", "UTC", "2000-01-01T00:00:00+00:00", "2000-02-29T00:00:00+00:00" },
        // Year rollover.
        { "59 23 31 12 *", "UTC", "2026-12-31T23:59:00+00:00", "2027-12-31T23:59:00+00:00" },
        { "0 0 * * *", "UTC", "2026-12-31T12:00:00+00:00", "2027-01-01T00:00:00+00:00" },
        { "*/10 * * * *", "UTC", "2026-12-31T23:55:00+00:00", "2027-01-01T00:00:00+00:00" },
        // Zones without a transition nearby; `from` may be given in any offset.
        { "30 18 * * *", "Europe/Berlin", "2026-01-10T00:00:00+00:00", "2026-01-10T18:30:00+01:00" },
        { "30 18 * * *", "Europe/Berlin", "2026-07-10T00:00:00+00:00", "2026-07-10T18:30:00+02:00" },
        { "0 9 * * *", "Asia/Kolkata", "2026-01-01T00:00:00+00:00", "2026-01-01T09:00:00+05:30" },
        { "0 0 * * *", "America/New_York", "2026-01-01T02:00:00+00:00", "2026-01-01T00:00:00-05:00" },
        // Gap, America/New_York 2026-03-08: 02:00 EST jumps to 03:00 EDT.
        { "30 2 * * *", "America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00" },
        { "30 2 * * *", "America/New_York", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00" },
        { "30 2 * * *", "America/New_York", "2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00" },
        { "*/30 * * * *", "America/New_York", "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00" },
        { "*/30 * * * *", "America/New_York", "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00" },
        { "0 * * * *", "America/New_York", "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00" },
        { "0 3 * * *", "America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00" },
        { "59 1 * * *", "America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-08T01:59:00-05:00" },
        // Gap, Europe/Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST.
        { "15 2 * * *", "Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00" },
        // Gap of 30 minutes, Australia/Lord_Howe 2026-10-04: 02:00 (+10:30) jumps to 02:30 (+11:00).
        { "15 2 * * *", "Australia/Lord_Howe", "2026-10-04T00:00:00+10:30", "2026-10-04T02:30:00+11:00" },
        // Overlap, America/New_York 2026-11-01: 02:00 EDT falls back to 01:00 EST.
        { "30 1 * * *", "America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-01T01:30:00-04:00" },
        { "30 1 * * *", "America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00" },
        { "30 1 * * *", "America/New_York", "2026-11-01T01:00:00-05:00", "2026-11-02T01:30:00-05:00" },
        { "45 1 * * *", "America/New_York", "2026-11-01T01:50:00-04:00", "2026-11-02T01:45:00-05:00" },
        { "0,30 1 * * *", "America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-02T01:00:00-05:00" },
        { "0 1 * * *", "America/New_York", "2026-10-31T23:00:00-04:00", "2026-11-01T01:00:00-04:00" },
        { "*/30 * * * *", "America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00" },
        { "*/30 * * * *", "America/New_York", "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00" },
        { "*/30 * * * *", "America/New_York", "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00" },
        { "0 * * * *", "America/New_York", "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00" },
        { "* 1 * * *", "America/New_York", "2026-11-01T01:59:00-04:00", "2026-11-01T01:00:00-05:00" },
        { "10 */1 * * *", "America/New_York", "2026-11-01T01:40:00-04:00", "2026-11-01T01:10:00-05:00" },
        { "0 2 * * *", "America/New_York", "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00" },
        // Overlap, Europe/London 2026-10-25: 02:00 BST falls back to 01:00 GMT.
        { "30 1 * * *", "Europe/London", "2026-10-25T00:00:00+01:00", "2026-10-25T01:30:00+01:00" },
        { "*/20 * * * *", "Europe/London", "2026-10-25T01:40:00+01:00", "2026-10-25T01:00:00+00:00" },
        // Transitions at midnight, America/Santiago: 2026-09-06 starts at 01:00 (-03:00); on
        // 2026-04-04, 24:00 (-03:00) falls back to 23:00 (-04:00).
        { "0 0 * * *", "America/Santiago", "2026-09-05T12:00:00-04:00", "2026-09-06T01:00:00-03:00" },
        { "30 23 * * *", "America/Santiago", "2026-04-04T12:00:00-03:00", "2026-04-04T23:30:00-03:00" },
        { "30 23 * * *", "America/Santiago", "2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00" },
        { "0 0 * * *", "America/Santiago", "2026-04-04T23:30:00-04:00", "2026-04-05T00:00:00-04:00" },
        { "*/30 * * * *", "America/Santiago", "2026-04-04T23:30:00-03:00", "2026-04-04T23:00:00-04:00" },
        // Overlap in the southern hemisphere, Australia/Sydney 2026-04-05: 03:00 AEDT falls back to 02:00 AEST.
        { "30 2 * * *", "Australia/Sydney", "2026-04-05T00:00:00+11:00", "2026-04-05T02:30:00+11:00" },
        { "30 2 * * *", "Australia/Sydney", "2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00" },
    };

    [Theory]
    [MemberData(nameof(Occurrences))]
    public void GetNextOccurrence_Expression_ReturnsExpected(string expression, string zoneId, string from, string expected)
    {
        var cron = CronExpression.Parse(expression);
        var zone = CronExpression.FindTimeZone(zoneId);

        var next = cron.GetNextOccurrence(DateTimeOffset.Parse(from, CultureInfo.InvariantCulture), zone);

        Assert.NotNull(next);
        Assert.Equal(expected, next.Value.ToString(Format, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void GetOccurrences_IntervalAcrossFallBack_RunsInBothInstances()
    {
        var cron = CronExpression.Parse("*/30 * * * *");
        var zone = CronExpression.FindTimeZone("America/New_York");

        var occurrences = cron.GetOccurrences(At("2026-11-01T00:00:00-04:00"), At("2026-11-01T03:00:00-05:00"), zone);

        Assert.Equal(
            new[]
            {
                "2026-11-01T00:30:00-04:00", "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00",
                "2026-11-01T02:30:00-05:00", "2026-11-01T03:00:00-05:00",
            },
            occurrences.Select(static o => o.ToString(Format, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void GetOccurrences_FixedTimeAcrossFallBack_RunsOnce()
    {
        var cron = CronExpression.Parse("30 1 * * *");
        var zone = CronExpression.FindTimeZone("America/New_York");

        var occurrences = cron.GetOccurrences(At("2026-10-31T00:00:00-04:00"), At("2026-11-02T12:00:00-05:00"), zone);

        Assert.Equal(
            new[] { "2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00" },
            occurrences.Select(static o => o.ToString(Format, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void GetOccurrences_IntervalAcrossSpringForward_CollapsesGapIntoTransition()
    {
        var cron = CronExpression.Parse("*/30 * * * *");
        var zone = CronExpression.FindTimeZone("America/New_York");

        var occurrences = cron.GetOccurrences(At("2026-03-08T01:00:00-05:00"), At("2026-03-08T04:00:00-04:00"), zone);

        Assert.Equal(
            new[] { "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00", "2026-03-08T04:00:00-04:00" },
            occurrences.Select(static o => o.ToString(Format, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void GetOccurrences_HourlyAcrossAYearOfTransitions_IsOneHourApartInElapsedTime()
    {
        var cron = CronExpression.Parse("@hourly");
        var zone = CronExpression.FindTimeZone("Europe/Berlin");
        var from = At("2026-01-01T00:00:00+01:00");

        var occurrences = cron.GetOccurrences(from, from.AddYears(1), zone).ToList();

        Assert.Equal(365 * 24, occurrences.Count);
        Assert.All(occurrences.Zip(occurrences.Skip(1)), static pair => Assert.Equal(TimeSpan.FromHours(1), pair.Second - pair.First));
    }

    [Fact]
    public void GetNextOccurrence_NearEndOfTime_ReturnsNull()
    {
        var cron = CronExpression.Parse("0 0 * * *");

        Assert.Null(cron.GetNextOccurrence(At("9999-12-31T12:00:00+00:00"), TimeZoneInfo.Utc));
        Assert.Null(cron.GetNextOccurrence(DateTimeOffset.MaxValue, TimeZoneInfo.Utc));
    }

    [Fact]
    public void GetNextOccurrence_FromMinValue_ReturnsFirstOccurrence()
    {
        var cron = CronExpression.Parse("0 0 1 * *");

        var next = cron.GetNextOccurrence(DateTimeOffset.MinValue, TimeZoneInfo.Utc);

        Assert.Equal(At("0001-02-01T00:00:00+00:00"), next);
    }

    [Fact]
    public void IsInterval_StarOrStepInMinuteOrHour_IsTrue()
    {
        Assert.True(CronExpression.Parse("*/5 1 * * *").IsInterval);
        Assert.True(CronExpression.Parse("0 * * * *").IsInterval);
        Assert.True(CronExpression.Parse("@hourly").IsInterval);
        Assert.False(CronExpression.Parse("0,30 1-3 * * *").IsInterval);
        Assert.False(CronExpression.Parse("@daily").IsInterval);
    }

    [Fact]
    public void ToString_Parsed_ReturnsOriginalText()
    {
        Assert.Equal("  @Daily ", CronExpression.Parse("  @Daily ").ToString());
    }

    [Theory]
    [InlineData(" 0  12\t* * * ")]
    [InlineData("00 09 01 01 *")]
    [InlineData("0 0 29 2 *")]
    [InlineData("0 0 31 1-2 *")]
    [InlineData("0 0 30 2 MON")]
    [InlineData("59 23 31 DEC SAT")]
    [InlineData("*/59 */23 */30 */11 */6")]
    [InlineData("0 0 * * FRI-SUN")]
    public void TryParse_ValidExpression_Succeeds(string expression)
    {
        Assert.True(CronExpression.TryParse(expression, out var result, out var error));
        Assert.NotNull(result);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("0 24 * * *", "hour value 24 is out of range 0-23")]
    [InlineData("60 * * * *", "minute value 60 is out of range 0-59")]
    [InlineData("0 0 0 * *", "day-of-month value 0 is out of range 1-31")]
    [InlineData("0 0 32 * *", "day-of-month value 32 is out of range 1-31")]
    [InlineData("0 0 * 13 *", "month value 13 is out of range 1-12")]
    [InlineData("0 0 * 0 *", "month value 0 is out of range 1-12")]
    [InlineData("0 0 * * 8", "day-of-week value 8 is out of range 0-7")]
    [InlineData("99999999999 * * * *", "minute value 99999999999 is out of range 0-59")]
    [InlineData("", "it is empty; expected five fields: minute hour day-of-month month day-of-week")]
    [InlineData("   ", "it is empty; expected five fields: minute hour day-of-month month day-of-week")]
    [InlineData("* * * *", "it has 4 fields; expected five: minute hour day-of-month month day-of-week")]
    [InlineData("*", "it has 1 field; expected five: minute hour day-of-month month day-of-week")]
    [InlineData("0 * * * * *", "it has 6 fields, but seconds and year fields are not supported; use five fields: minute hour day-of-month month day-of-week")]
    [InlineData("0 0 * * * * 2026", "it has 7 fields, but seconds and year fields are not supported; use five fields: minute hour day-of-month month day-of-week")]
    [InlineData("@reboot", "@reboot is not supported; put start-up work in OnStartAsync instead")]
    [InlineData("@every", "unknown macro '@every'; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly")]
    [InlineData("@daily 0", "the macro '@daily' must stand alone, without other fields")]
    [InlineData("0 0 L * *", "day-of-month field 'L' uses 'L' (last day), which is not supported")]
    [InlineData("0 0 LW * *", "day-of-month field 'LW' uses 'L' (last day), which is not supported")]
    [InlineData("0 0 * * 5L", "day-of-week field '5L' uses 'L' (last day), which is not supported")]
    [InlineData("0 0 15W * *", "day-of-month field '15W' uses 'W' (nearest weekday), which is not supported")]
    [InlineData("0 0 * * MON#2", "day-of-week field 'MON#2' uses '#' (nth weekday of the month), which is not supported")]
    [InlineData("0 0 ? * MON", "day-of-month field '?' uses '?', which is not supported; use '*' instead")]
    [InlineData("*/0 * * * *", "minute step 0 is out of range 1-59")]
    [InlineData("*/60 * * * *", "minute step 60 is out of range 1-59")]
    [InlineData("0 */x * * *", "hour step 'x' is not a number")]
    [InlineData("0 22-2 * * *", "hour range 22-2 is reversed; ranges go from low to high, so write it as two ranges: '22-23,0-2'")]
    [InlineData("0 0 * * 5-1", "day-of-week range 5-1 is reversed; ranges go from low to high, so write it as two ranges: '5-6,0-1'")]
    [InlineData("0 0 * * FRI-MON", "day-of-week range FRI-MON is reversed; ranges go from low to high, so write it as two ranges: 'FRI-SAT,SUN-MON'")]
    [InlineData("0 0 1 NOV-FEB *", "month range NOV-FEB is reversed; ranges go from low to high, so write it as two ranges: 'NOV-DEC,JAN-FEB'")]
    [InlineData("a * * * *", "minute value 'a' is not a number")]
    [InlineData("-5 * * * *", "minute field '-5' has an empty value")]
    [InlineData("1- * * * *", "minute field '1-' has an empty value")]
    [InlineData("0 MON * * *", "hour value 'MON' is not a number")]
    [InlineData("0 0 * FOO *", "month value 'FOO' is not a number or a month name (JAN-DEC)")]
    [InlineData("0 0 * * FOO", "day-of-week value 'FOO' is not a number or a day name (SUN-SAT)")]
    [InlineData("0 0 * * MONDAY", "day-of-week value 'MONDAY' is not a number or a day name (SUN-SAT)")]
    [InlineData("0 0 * APRL *", "month value 'APRL' is not a number or a month name (JAN-DEC)")]
    [InlineData("0 0 1,,2 * *", "day-of-month field '1,,2' has an empty list item")]
    [InlineData("0 0 30 2 *", "day-of-month '30' never occurs in month '2', so the job would never run")]
    [InlineData("0 0 31 4,6,9,11 *", "day-of-month '31' never occurs in month '4,6,9,11', so the job would never run")]
    [InlineData("0 0 30-31 FEB *", "day-of-month '30-31' never occurs in month 'FEB', so the job would never run")]
    public void Parse_InvalidExpression_ThrowsClearMessage(string expression, string detail)
    {
        var expected = $"Cron expression '{expression}': {detail}.";

        var exception = Assert.Throws<FormatException>(() => CronExpression.Parse(expression));
        Assert.Equal(expected, exception.Message);

        Assert.False(CronExpression.TryParse(expression, out var result, out var error));
        Assert.Null(result);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => CronExpression.Parse(null!));
        Assert.False(CronExpression.TryParse(null!, out _, out var error));
        Assert.Equal("A cron expression is required, but it was null.", error);
    }

    [Fact]
    public void FindTimeZone_Null_ReturnsUtc()
    {
        Assert.Same(TimeZoneInfo.Utc, CronExpression.FindTimeZone(null));
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Europe/Berlin")]
    [InlineData("UTC")]
    [InlineData("W. Europe Standard Time")]
    public void FindTimeZone_KnownId_ReturnsZone(string id)
    {
        var zone = CronExpression.FindTimeZone(id);

        Assert.True(CronExpression.TryFindTimeZone(id, out var found, out var error));
        Assert.Equal(zone.Id, found!.Id);
        Assert.Null(error);
    }

    [Fact]
    public void FindTimeZone_UnknownId_ThrowsTimeZoneNotFoundException()
    {
        var exception = Assert.Throws<TimeZoneNotFoundException>(() => CronExpression.FindTimeZone("Mars/Olympus_Mons"));

        Assert.Equal(
            "Time zone 'Mars/Olympus_Mons' was not found: use an IANA id such as 'Europe/Berlin' or 'America/New_York' " +
            "(or a Windows id such as 'W. Europe Standard Time'), or omit it for UTC.",
            exception.Message);
        Assert.False(CronExpression.TryFindTimeZone("Mars/Olympus_Mons", out var zone, out var error));
        Assert.Null(zone);
        Assert.Equal(exception.Message, error);
    }

    [Fact]
    public void FindTimeZone_Empty_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => CronExpression.FindTimeZone(" "));

        Assert.StartsWith("A time-zone id must not be empty", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetNextOccurrence_RandomExpressions_MatchesDayByDayScan()
    {
        var random = new Random(20261121);
        var checkedCases = 0;
        while (checkedCases < 500)
        {
            var minutes = RandomField(random, 0, 59, out var minuteText);
            var hours = RandomField(random, 0, 23, out var hourText);
            var daysOfMonth = RandomField(random, 1, 31, out var dayOfMonthText);
            var months = RandomField(random, 1, 12, out var monthText);
            var daysOfWeek = RandomField(random, 0, 6, out var dayOfWeekText);
            var expression = string.Join(' ', minuteText, hourText, dayOfMonthText, monthText, dayOfWeekText);
            if (!CronExpression.TryParse(expression, out var cron, out _))
            {
                continue; // a day-of-month that never occurs in its months
            }

            var from = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)
                .AddMinutes(random.Next(0, 10 * 366 * 24 * 60))
                .AddSeconds(random.Next(0, 2) * random.Next(0, 60));
            var expected = Scan(from, minutes, hours, daysOfMonth, months, daysOfWeek, dayOfMonthText != "*", dayOfWeekText != "*");

            Assert.True(expected == cron!.GetNextOccurrence(from, TimeZoneInfo.Utc), $"'{expression}' from {from:o}: expected {expected:o}");
            checkedCases++;
        }
    }

    // Builds a random field in one of the syntax forms, returning the set it denotes (computed here,
    // independently of the parser) and its text.
    private static bool[] RandomField(Random random, int min, int max, out string text)
    {
        var set = new bool[max + 1];
        int low = random.Next(min, max + 1), high = random.Next(low, max + 1), step = random.Next(1, max - min + 1);
        switch (random.Next(0, 6))
        {
            case 0:
                text = "*";
                (low, high, step) = (min, max, 1);
                break;
            case 1:
                text = "*/" + step.ToString(CultureInfo.InvariantCulture);
                (low, high) = (min, max);
                break;
            case 2:
                text = low.ToString(CultureInfo.InvariantCulture) + "-" + high.ToString(CultureInfo.InvariantCulture);
                step = 1;
                break;
            case 3:
                text = low.ToString(CultureInfo.InvariantCulture) + "-" + high.ToString(CultureInfo.InvariantCulture) + "/" + step.ToString(CultureInfo.InvariantCulture);
                break;
            case 4:
                text = low.ToString(CultureInfo.InvariantCulture) + "/" + step.ToString(CultureInfo.InvariantCulture);
                high = max;
                break;
            default:
                var values = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(min, max + 1)).ToArray();
                text = string.Join(',', values.Select(static v => v.ToString(CultureInfo.InvariantCulture)));
                foreach (var value in values)
                {
                    set[value] = true;
                }

                return set;
        }

        for (var value = low; value <= high; value += step)
        {
            set[value] = true;
        }

        return set;
    }

    private static DateTimeOffset? Scan(
        DateTimeOffset from, bool[] minutes, bool[] hours, bool[] daysOfMonth, bool[] months, bool[] daysOfWeek, bool dayOfMonthRestricted, bool dayOfWeekRestricted)
    {
        var date = from.UtcDateTime.Date;
        for (var day = 0; day < 12 * 366; day++, date = date.AddDays(1))
        {
            var byDayOfMonth = daysOfMonth[date.Day];
            var byDayOfWeek = daysOfWeek[(int)date.DayOfWeek];
            var dayMatches = dayOfMonthRestricted && dayOfWeekRestricted ? byDayOfMonth || byDayOfWeek : byDayOfMonth && byDayOfWeek;
            if (!months[date.Month] || !dayMatches)
            {
                continue;
            }

            for (var hour = 0; hour < 24; hour++)
            {
                for (var minute = 0; minute < 60; minute++)
                {
                    var candidate = new DateTimeOffset(date.AddHours(hour).AddMinutes(minute), TimeSpan.Zero);
                    if (hours[hour] && minutes[minute] && candidate > from)
                    {
                        return candidate;
                    }
                }
            }
        }

        return null;
    }

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
