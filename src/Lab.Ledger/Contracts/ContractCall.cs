namespace Lab.Ledger.Contracts;

/// <summary>
/// The payload of a contract transaction: which contract, which method, with what arguments.
/// The caller is the transaction's <c>Submitter</c> (its consortium identity).
/// </summary>
/// <param name="Arguments">An immutable record the contract understands (e.g. a DvP instruction).</param>
public sealed record ContractCall(string Contract, string Method, object? Arguments = null) : ISpanFormattable
{
    public override string ToString() => $"{Contract}.{Method}({Arguments})";

    /// <summary>The text of <see cref="ToString()"/> written into <paramref name="destination"/> (false if it does not fit):
    /// a transaction's fingerprint hashes it for every call, without a string per call when the arguments can write themselves.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        var rest = destination;
        if (!Append(ref rest, Contract) || !Append(ref rest, ".") || !Append(ref rest, Method) || !Append(ref rest, "(")) return false;
        // The interpolated ToString formats the arguments this way: a span-formattable writes itself, a formattable gets no format.
        switch (Arguments)
        {
            case ISpanFormattable f:
                if (!f.TryFormat(rest, out var n, default, null)) return false;
                rest = rest[n..];
                break;
            case IFormattable f:
                if (!Append(ref rest, f.ToString(null, null))) return false;
                break;
            default:
                if (!Append(ref rest, Arguments?.ToString())) return false;
                break;
        }
        if (!Append(ref rest, ")")) return false;
        charsWritten = destination.Length - rest.Length;
        return true;

        static bool Append(ref Span<char> to, string? text)
        {
            if (text is null) return true;
            if (!text.AsSpan().TryCopyTo(to)) return false;
            to = to[text.Length..];
            return true;
        }
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();
}
