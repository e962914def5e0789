using System.Globalization;
using Mode.Cron;

namespace Mode.Runtime.Tests.Cron;

// Regression tests of Mode's use of Cronos (CronSchedule): the rows were written for the hand-written
// parser Cronos replaced and hold unchanged, except where docs/cron.md says the behaviour changed
// (reversed ranges, L/W/#/?, ranges in the DST overlap, seconds).
public sealed class CronScheduleTests
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
        // An open-ended day-of-week step stops at Saturday (Cronos alone would add Sunday as 7).
        { "0 0 * * 1/2", "UTC", "2026-01-02T00:00:00+00:00", "2026-01-05T00:00:00+00:00" },
        { "0 0 * * MON/2", "UTC", "2026-01-02T00:00:00+00:00", "2026-01-05T00:00:00+00:00" },
        { "0 0 * * 5/1", "UTC", "2026-01-03T00:00:00+00:00", "2026-01-09T00:00:00+00:00" },
        // Reversed ranges wrap around (Cronos; the hand-written parser rejected them).
        { "0 22-2 * * *", "UTC", "2026-01-01T02:00:00+00:00", "2026-01-01T22:00:00+00:00" },
        { "0 22-2 * * *", "UTC", "2026-01-01T23:00:00+00:00", "2026-01-02T00:00:00+00:00" },
        { "0 0 * * 5-1", "UTC", "2026-01-05T00:00:00+00:00", "2026-01-09T00:00:00+00:00" },
        { "0 0 * * FRI-MON", "UTC", "2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00" },
        { "0 0 1 NOV-FEB *", "UTC", "2026-02-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00" },
        // L, W, # and ? (Cronos; the hand-written parser rejected them).
        { "0 0 L * *", "UTC", "2026-01-31T00:00:00+00:00", "2026-02-28T00:00:00+00:00" },
        { "0 0 L * *", "UTC", "2028-02-01T00:00:00+00:00", "2028-02-29T00:00:00+00:00" },
        { "0 0 L-2 * *", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-29T00:00:00+00:00" },
        { "0 0 LW * *", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-30T00:00:00+00:00" },
        { "0 0 15W * *", "UTC", "2026-02-01T00:00:00+00:00", "2026-02-16T00:00:00+00:00" },
        { "0 0 1W * *", "UTC", "2026-02-02T00:00:00+00:00", "2026-03-02T00:00:00+00:00" },
        { "0 0 * * 5L", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-30T00:00:00+00:00" },
        { "0 0 * * FRIL", "UTC", "2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00" },
        { "0 0 * * MON#2", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-12T00:00:00+00:00" },
        { "0 0 * * 6#5", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-31T00:00:00+00:00" },
        { "0 0 ? * MON", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-05T00:00:00+00:00" },
        { "0 0 13 * ?", "UTC", "2026-01-01T00:00:00+00:00", "2026-01-13T00:00:00+00:00" },
        // Both day fields restricted with L or #: either matches (POSIX), as with plain values.
        { "0 0 L * MON#1", "UTC", "2026-01-06T00:00:00+00:00", "2026-01-31T00:00:00+00:00" },
        { "0 0 L * MON#1", "UTC", "2026-01-31T00:00:00+00:00", "2026-02-02T00:00:00+00:00" },
        // Macros.
        { "@every_minute", "UTC", "2026-01-01T00:00:30+00:00", "2026-01-01T00:01:00+00:00" },
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
        // A range in the minute or hour field makes the expression interval-based (Cronos), so it runs
        // in both instances of the repeated hour (the hand-written parser ran it once).
        { "0,30 1-2 * * *", "America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00" },
        { "30 1-1 * * *", "America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00" },
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
        var cron = CronSchedule.Parse(expression);
        var zone = CronSchedule.FindTimeZone(zoneId);

        var next = cron.GetNextOccurrence(DateTimeOffset.Parse(from, CultureInfo.InvariantCulture), zone);

        Assert.NotNull(next);
        Assert.Equal(expected, next.Value.ToString(Format, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void GetOccurrences_IntervalAcrossFallBack_RunsInBothInstances()
    {
        var cron = CronSchedule.Parse("*/30 * * * *");
        var zone = CronSchedule.FindTimeZone("America/New_York");

        var occurrences = Between(cron, At("2026-11-01T00:00:00-04:00"), At("2026-11-01T03:00:00-05:00"), zone);

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
        var cron = CronSchedule.Parse("30 1 * * *");
        var zone = CronSchedule.FindTimeZone("America/New_York");

        var occurrences = Between(cron, At("2026-10-31T00:00:00-04:00"), At("2026-11-02T12:00:00-05:00"), zone);

        Assert.Equal(
            new[] { "2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00" },
            occurrences.Select(static o => o.ToString(Format, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void GetOccurrences_IntervalAcrossSpringForward_CollapsesGapIntoTransition()
    {
        var cron = CronSchedule.Parse("*/30 * * * *");
        var zone = CronSchedule.FindTimeZone("America/New_York");

        var occurrences = Between(cron, At("2026-03-08T01:00:00-05:00"), At("2026-03-08T04:00:00-04:00"), zone);

        Assert.Equal(
            new[] { "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00", "2026-03-08T04:00:00-04:00" },
            occurrences.Select(static o => o.ToString(Format, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void GetOccurrences_HourlyAcrossAYearOfTransitions_IsOneHourApartInElapsedTime()
    {
        var cron = CronSchedule.Parse("@hourly");
        var zone = CronSchedule.FindTimeZone("Europe/Berlin");
        var from = At("2026-01-01T00:00:00+01:00");

        var occurrences = Between(cron, from, from.AddYears(1), zone).ToList();

        Assert.Equal(365 * 24, occurrences.Count);
        Assert.All(occurrences.Zip(occurrences.Skip(1)), static pair => Assert.Equal(TimeSpan.FromHours(1), pair.Second - pair.First));
    }

    [Fact]
    public void GetNextOccurrence_NearEndOfTime_ReturnsNull()
    {
        var cron = CronSchedule.Parse("0 0 * * *");

        Assert.Null(cron.GetNextOccurrence(At("9999-12-31T12:00:00+00:00"), TimeZoneInfo.Utc));
        Assert.Null(cron.GetNextOccurrence(DateTimeOffset.MaxValue, TimeZoneInfo.Utc));
    }

    [Fact]
    public void GetNextOccurrence_FromMinValue_ReturnsFirstOccurrence()
    {
        var cron = CronSchedule.Parse("0 0 1 * *");

        var next = cron.GetNextOccurrence(DateTimeOffset.MinValue, TimeZoneInfo.Utc);

        Assert.Equal(At("0001-02-01T00:00:00+00:00"), next);
    }

    [Theory]
    [InlineData("*/5 1 * * *", true)]
    [InlineData("0 * * * *", true)]
    [InlineData("@hourly", true)]
    [InlineData("0,30 1-3 * * *", true)]
    [InlineData("0,30 1 * * *", false)]
    [InlineData("30 1 * * *", false)]
    [InlineData("@daily", false)]
    public void GetNextOccurrence_InRepeatedHour_RunsAgainOnlyWhenIntervalBased(string expression, bool runsTwice)
    {
        // America/New_York 2026-11-01: 02:00 EDT falls back to 01:00 EST. From 01:59 EDT, an
        // interval-based expression (a '*', range or step in its minute or hour field) runs again in
        // the repeated hour; a fixed one waits for the next day.
        var cron = CronSchedule.Parse(expression);
        var zone = CronSchedule.FindTimeZone("America/New_York");

        var next = cron.GetNextOccurrence(At("2026-11-01T01:59:00-04:00"), zone);

        Assert.NotNull(next);
        Assert.Equal(runsTwice, next.Value < At("2026-11-01T02:00:00-05:00"));
    }

    [Fact]
    public void ToString_Parsed_ReturnsOriginalText()
    {
        Assert.Equal("  @Daily ", CronSchedule.Parse("  @Daily ").ToString());
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
    [InlineData("0 0 ? * ?")]
    [InlineData("0 0 L-30 * *")]
    [InlineData("@every_second")]
    public void TryParse_ValidExpression_Succeeds(string expression)
    {
        Assert.True(CronSchedule.TryParse(expression, includeSeconds: false, out var result, out var error));
        Assert.NotNull(result);
        Assert.Null(error);
    }

    [Theory]
    // Cronos' own messages, after "Cron expression '…': ".
    [InlineData("0 24 * * *", "Hours: Value must be a number between 0 and 23 (all inclusive)")]
    [InlineData("60 * * * *", "Minutes: Value must be a number between 0 and 59 (all inclusive)")]
    [InlineData("0 0 0 * *", "Days of month: Value must be a number between 1 and 31 (all inclusive)")]
    [InlineData("0 0 32 * *", "Days of month: Value must be a number between 1 and 31 (all inclusive)")]
    [InlineData("0 0 * 13 *", "Months: Value must be a number between 1 and 12 (all inclusive)")]
    [InlineData("0 0 * 0 *", "Months: Value must be a number between 1 and 12 (all inclusive)")]
    [InlineData("0 0 * * 8", "Days of week: Value must be a number between 0 and 7 (all inclusive)")]
    [InlineData("99999999999 * * * *", "Minutes: Value must be a number between 0 and 59 (all inclusive)")]
    [InlineData("*/0 * * * *", "Minutes: Value must be a number between 1 and 59 (all inclusive)")]
    [InlineData("*/60 * * * *", "Minutes: Value must be a number between 1 and 59 (all inclusive)")]
    [InlineData("0 */x * * *", "Hours: Value must be a number between 1 and 23 (all inclusive)")]
    [InlineData("a * * * *", "Minutes: Value must be a number between 0 and 59 (all inclusive)")]
    [InlineData("-5 * * * *", "Minutes: Value must be a number between 0 and 59 (all inclusive)")]
    [InlineData("1- * * * *", "Minutes: Value must be a number between 0 and 59 (all inclusive)")]
    [InlineData("0 MON * * *", "Hours: Value must be a number between 0 and 23 (all inclusive)")]
    [InlineData("0 0 * FOO *", "Months: Value must be a number between 1 and 12 (all inclusive)")]
    [InlineData("0 0 * * FOO", "Days of week: Value must be a number between 0 and 7 (all inclusive)")]
    [InlineData("0 0 * * MONDAY", "Days of week: Unexpected character 'D'")]
    [InlineData("0 0 * APRL *", "Months: Unexpected character 'L'")]
    [InlineData("0 0 1,,2 * *", "Days of month: Value must be a number between 1 and 31 (all inclusive)")]
    [InlineData("0 0 * * MON#6", "Days of week: Value must be a number between 1 and 5 (all inclusive)")]
    [InlineData("0 0 1-5W * *", "Days of month: Unexpected character 'W'")]
    // Mode's own checks, before Cronos: field counts, macros, 'H', and expressions that never fire.
    [InlineData("", "it is empty; expected five fields: minute hour day-of-month month day-of-week")]
    [InlineData("   ", "it is empty; expected five fields: minute hour day-of-month month day-of-week")]
    [InlineData("* * * *", "it has 4 fields; expected five: minute hour day-of-month month day-of-week")]
    [InlineData("*", "it has 1 field; expected five: minute hour day-of-month month day-of-week")]
    [InlineData("0 * * * * *", "it has 6 fields; a leading seconds field needs IncludeSeconds = true, otherwise use five: minute hour day-of-month month day-of-week")]
    [InlineData("0 0 * * * * 2026", "it has 7 fields, but a year field is not supported; use five: minute hour day-of-month month day-of-week")]
    [InlineData("@reboot", "@reboot is not supported; put start-up work in OnStartAsync instead")]
    [InlineData("@every", "unknown macro '@every'; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every_minute, @every_second")]
    [InlineData("@daily 0", "the macro '@daily' must stand alone, without other fields")]
    [InlineData("H * * * *", "'H' (a value chosen by hashing) is not supported; write the value")]
    [InlineData("0 0 30 2 *", "day-of-month '30' never occurs in month '2', so the job would never run")]
    [InlineData("0 0 31 4,6,9,11 *", "day-of-month '31' never occurs in month '4,6,9,11', so the job would never run")]
    [InlineData("0 0 30-31 FEB *", "day-of-month '30-31' never occurs in month 'FEB', so the job would never run")]
    public void Parse_InvalidExpression_ThrowsClearMessage(string expression, string detail)
    {
        var expected = $"Cron expression '{expression}': {detail}.";

        var exception = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
        Assert.Equal(expected, exception.Message);

        Assert.False(CronSchedule.TryParse(expression, includeSeconds: false, out var result, out var error));
        Assert.Null(result);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("*/10 * * * * *", "2026-01-01T00:00:05+00:00", "2026-01-01T00:00:10+00:00")]
    [InlineData("30 0 9 * * MON-FRI", "2026-01-02T09:00:30+00:00", "2026-01-05T09:00:30+00:00")]
    [InlineData("0 * * * * *", "2026-01-01T00:00:00+00:00", "2026-01-01T00:01:00+00:00")]
    [InlineData("15,45 * * * * *", "2026-01-01T00:00:15.5+00:00", "2026-01-01T00:00:45+00:00")]
    [InlineData("@every_second", "2026-01-01T00:00:00.25+00:00", "2026-01-01T00:00:01+00:00")]
    public void GetNextOccurrence_IncludeSeconds_UsesTheSecondsField(string expression, string from, string expected)
    {
        var cron = CronSchedule.Parse(expression, includeSeconds: true);

        var next = cron.GetNextOccurrence(At(from), TimeZoneInfo.Utc);

        Assert.Equal(At(expected), next);
    }

    [Theory]
    [InlineData("* * * * *", "it has 5 fields; expected six: second minute hour day-of-month month day-of-week")]
    [InlineData("60 * * * * *", "Seconds: Value must be a number between 0 and 59 (all inclusive)")]
    [InlineData("0 0 0 * * * 2026", "it has 7 fields, but a year field is not supported; use six: second minute hour day-of-month month day-of-week")]
    [InlineData("", "it is empty; expected six fields: second minute hour day-of-month month day-of-week")]
    public void Parse_IncludeSecondsInvalid_ThrowsClearMessage(string expression, string detail)
    {
        var exception = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression, includeSeconds: true));

        Assert.Equal($"Cron expression '{expression}': {detail}.", exception.Message);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => CronSchedule.Parse(null!));
        Assert.False(CronSchedule.TryParse(null!, includeSeconds: false, out _, out var error));
        Assert.Equal("A cron expression is required, but it was null.", error);
    }

    [Fact]
    public void FindTimeZone_Null_ReturnsUtc()
    {
        Assert.Same(TimeZoneInfo.Utc, CronSchedule.FindTimeZone(null));
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Europe/Berlin")]
    [InlineData("UTC")]
    [InlineData("W. Europe Standard Time")]
    public void FindTimeZone_KnownId_ReturnsZone(string id)
    {
        var zone = CronSchedule.FindTimeZone(id);

        Assert.True(CronSchedule.TryFindTimeZone(id, out var found, out var error));
        Assert.Equal(zone.Id, found!.Id);
        Assert.Null(error);
    }

    [Fact]
    public void FindTimeZone_UnknownId_ThrowsTimeZoneNotFoundException()
    {
        var exception = Assert.Throws<TimeZoneNotFoundException>(() => CronSchedule.FindTimeZone("Mars/Olympus_Mons"));

        Assert.Equal(
            "Time zone 'Mars/Olympus_Mons' was not found: use an IANA id such as 'Europe/Berlin' or 'America/New_York' " +
            "(or a Windows id such as 'W. Europe Standard Time'), or omit it for UTC.",
            exception.Message);
        Assert.False(CronSchedule.TryFindTimeZone("Mars/Olympus_Mons", out var zone, out var error));
        Assert.Null(zone);
        Assert.Equal(exception.Message, error);
    }

    [Fact]
    public void FindTimeZone_Empty_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => CronSchedule.FindTimeZone(" "));

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
            if (!CronSchedule.TryParse(expression, includeSeconds: false, out var cron, out _))
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

    // Every occurrence after `from` up to and including `to`.
    private static IEnumerable<DateTimeOffset> Between(CronSchedule cron, DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        for (var next = cron.GetNextOccurrence(from, zone); next is not null && next.Value <= to; next = cron.GetNextOccurrence(next.Value, zone))
        {
            yield return next.Value;
        }
    }

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
