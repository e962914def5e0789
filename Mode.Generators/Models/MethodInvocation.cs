namespace Mode.Generators.Models;

/// <summary>What a <c>[Task]</c>, <c>[Timer]</c> or <c>[Crontab]</c> method returns.</summary>
internal enum ReturnKind
{
    Void,
    Task,
    ValueTask,
}

/// <summary>How to call an annotated method.</summary>
/// <param name="MethodName">The method's name (<c>@</c>-escaped when it is a keyword).</param>
/// <param name="ReturnKind">What it returns.</param>
/// <param name="TakesCancellationToken">Whether it takes the one <c>CancellationToken</c> parameter.</param>
internal sealed record MethodInvocation(string MethodName, ReturnKind ReturnKind, bool TakesCancellationToken);
