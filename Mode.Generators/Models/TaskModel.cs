namespace Mode.Generators.Models;

/// <summary>A <c>[Task]</c> method.</summary>
/// <param name="Name">The registered name: <c>Class.Method</c>.</param>
/// <param name="Method">How to call it.</param>
/// <param name="OnError">The <c>BackgroundErrorPolicy</c> number; 0 (<c>Default</c>) is not emitted.</param>
internal sealed record TaskModel(string Name, MethodInvocation Method, int OnError)
    : BackgroundWorkModel(MemberKind.Task, Name, Method, OnError);
