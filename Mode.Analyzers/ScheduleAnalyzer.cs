using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;
using Mode.Cron;

namespace Mode.Analyzers;

/// <summary>
/// MODE006: a <c>[Timer]</c> interval that is not a finite number of seconds greater than zero (or
/// is too large for a <c>TimeSpan</c> deadline), or a <c>[Crontab]</c> expression the runtime rejects.
/// The check is the runtime's own <c>CronSchedule</c> (compiled into this assembly as a linked source
/// file), which parses with Cronos, the library the runtime uses, with the attribute's
/// <c>IncludeSeconds</c>; so the analyzer and the runtime always agree. Time-zone ids are not
/// checked: the time-zone database differs between the build machine and the target.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScheduleAnalyzer : DiagnosticAnalyzer
{
    // TimerSchedule.ValidateInterval in the runtime rejects intervals above TimeSpan.MaxValue / 2.
    private static readonly double s_maxIntervalSeconds = TimeSpan.MaxValue.TotalSeconds / 2;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InvalidSchedule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (!ModeSymbols.TryCreate(start.Compilation, out var symbols))
            {
                return;
            }

            start.RegisterSymbolAction(c => Analyze(c, symbols), SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, ModeSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        foreach (var attribute in method.GetAttributes())
        {
            var kind = symbols.GetAttributeKind(attribute);
            if (kind is not (ModeAttributeKind.Timer or ModeAttributeKind.Crontab)
                || attribute.ConstructorArguments.Length != 1
                || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error)
            {
                continue;
            }

            var problem = kind == ModeAttributeKind.Timer
                ? CheckInterval(attribute.ConstructorArguments[0].Value)
                : CheckCron(attribute.ConstructorArguments[0].Value as string, IncludesSeconds(attribute));
            if (problem is null)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InvalidSchedule,
                ArgumentLocation(attribute, context.CancellationToken) ?? method.Locations.FirstOrDefault(),
                SymbolNames.Member(method),
                problem));
        }
    }

    private static string? CheckInterval(object? value)
    {
        if (value is not double seconds)
        {
            return null;
        }

        var text = seconds.ToString("R", CultureInfo.InvariantCulture);
        if (double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            return $"the timer interval {text} is not a finite number of seconds";
        }

        if (seconds <= 0)
        {
            return $"the timer interval {text} s must be greater than zero";
        }

        return seconds > s_maxIntervalSeconds
            ? $"the timer interval {text} s is too large (at most TimeSpan.MaxValue / 2)"
            : null;
    }

    private static bool IncludesSeconds(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "IncludeSeconds" && argument.Value.Value is bool includeSeconds)
            {
                return includeSeconds;
            }
        }

        return false;
    }

    private static string? CheckCron(string? expression, bool includeSeconds)
    {
        if (expression is null)
        {
            return "the cron expression is null";
        }

        if (CronSchedule.TryParse(expression, includeSeconds, out _, out var error))
        {
            return null;
        }

        // The parser's message usually quotes the expression already.
        return error is not null && error.IndexOf(expression, StringComparison.Ordinal) >= 0
            ? error
            : $"the cron expression '{expression}' is invalid: {error ?? "it cannot be parsed"}";
    }

    private static Location? ArgumentLocation(AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        var argument = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null && a.NameColon is null)
            ?? syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameColon is not null);
        return (argument ?? (SyntaxNode)syntax).GetLocation();
    }
}
