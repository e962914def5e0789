namespace Mode.Generators.Models;

/// <summary>A <c>[Timer]</c> method.</summary>
/// <param name="Name">The registered name: <c>TimerAttribute.Name</c>, or <c>Class.Method</c>.</param>
/// <param name="Method">How to call it.</param>
/// <param name="IntervalSeconds">The interval, as written (the runtime validates it).</param>
/// <param name="ExecFirst">Whether it also runs right at start.</param>
/// <param name="MaxDriftCorrectionSeconds">See <c>TimerAttribute.MaxDriftCorrection</c>.</param>
/// <param name="OnError">The <c>BackgroundErrorPolicy</c> number; 0 (<c>Default</c>) is not emitted.</param>
internal sealed record TimerModel(
    string Name,
    MethodInvocation Method,
    double IntervalSeconds,
    bool ExecFirst,
    double MaxDriftCorrectionSeconds,
    int OnError)
    : BackgroundWorkModel(MemberKind.Timer, Name, Method, OnError);
