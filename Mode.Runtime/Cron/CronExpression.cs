namespace Mode.Cron;

// Placeholder with the final API; the cron issue replaces the body with the real parser.
internal sealed class CronExpression
{
    public static CronExpression Parse(string expression) =>
        throw new FormatException($"Cron expressions are not supported yet: '{expression}'.");

    public static bool TryParse(string expression, out CronExpression? result, out string? error)
    {
        result = null;
        error = $"Cron expressions are not supported yet: '{expression}'.";
        return false;
    }

    public static TimeZoneInfo FindTimeZone(string? id) =>
        id is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);

#pragma warning disable CA1822 // placeholder
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset fromExclusive, TimeZoneInfo zone) => null;
#pragma warning restore CA1822
}
