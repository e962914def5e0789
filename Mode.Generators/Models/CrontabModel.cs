namespace Mode.Generators.Models;

/// <summary>A <c>[Crontab]</c> method.</summary>
/// <param name="Name">The registered name: <c>CrontabAttribute.Name</c>, or <c>Class.Method</c>.</param>
/// <param name="Method">How to call it.</param>
/// <param name="Expression">The cron expression, as written (the analyzer validates it).</param>
/// <param name="TimeZone">The time-zone id, or <see langword="null"/> for UTC.</param>
/// <param name="IncludeSeconds">Whether the expression has a leading seconds field; emitted only when <see langword="true"/>.</param>
/// <param name="OnError">The <c>BackgroundErrorPolicy</c> number; 0 (<c>Default</c>) is not emitted.</param>
internal sealed record CrontabModel(string Name, MethodInvocation Method, string Expression, string? TimeZone, bool IncludeSeconds, int OnError)
    : BackgroundWorkModel(MemberKind.Crontab, Name, Method, OnError);
