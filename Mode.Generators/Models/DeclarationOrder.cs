namespace Mode.Generators.Models;

/// <summary>
/// The position of a member in its class by index rather than by text offset, so that editing a
/// method body above it changes nothing: which partial declaration (in compilation order), which
/// member of that declaration, which variable of a multi-variable field.
/// </summary>
/// <param name="Declaration">The index of the partial declaration among the class's declarations.</param>
/// <param name="Member">The index of the member among that declaration's members.</param>
/// <param name="Variable">The index of the variable in a field declaration (0 otherwise).</param>
internal readonly record struct DeclarationOrder(int Declaration, int Member, int Variable) : IComparable<DeclarationOrder>
{
    /// <inheritdoc/>
    public int CompareTo(DeclarationOrder other)
    {
        var result = Declaration.CompareTo(other.Declaration);
        if (result == 0)
        {
            result = Member.CompareTo(other.Member);
        }

        return result == 0 ? Variable.CompareTo(other.Variable) : result;
    }
}
