using System.Security.Cryptography;
using System.Text;

namespace Lab.Cluster;

/// <summary>
/// The secret a worker must prove it knows before it gets work. It comes from the environment
/// (<see cref="EnvironmentVariable"/>) or a file, never from the command line (where other users of the
/// machine can read it in the process list). It never crosses the network: the coordinator sends a
/// fresh random challenge and the worker answers with HMAC-SHA256(secret, challenge).
/// </summary>
public sealed class SharedSecret
{
    public const string EnvironmentVariable = "LAB_CLUSTER_SECRET";
    /// <summary>Shorter secrets are refused: they could be guessed.</summary>
    public const int MinLength = 12;

    private static readonly byte[] Purpose = "lab-cluster-worker-v1"u8.ToArray();
    private readonly byte[] _key;

    private SharedSecret(string text) => _key = Encoding.UTF8.GetBytes(text);

    /// <summary>The secret from <paramref name="file"/> if given (its first line), else from the environment.</summary>
    /// <exception cref="ArgumentException">No secret, or one that is too short (the message says what to do).</exception>
    public static SharedSecret Load(string? file, Func<string, string?> environment)
    {
        string? text;
        string from;
        if (file is not null)
        {
            try { text = File.ReadLines(file).FirstOrDefault()?.Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ArgumentException($"--secret-file {file}: {e.Message}"); }
            from = "--secret-file " + file;
        }
        else
        {
            text = environment(EnvironmentVariable)?.Trim();
            from = EnvironmentVariable;
        }
        if (string.IsNullOrEmpty(text))
            throw new ArgumentException($"a cluster needs a shared secret: set {EnvironmentVariable} in the environment or give --secret-file PATH (the same on the coordinator and every worker)");
        if (text.Length < MinLength) throw new ArgumentException($"the secret from {from} is shorter than {MinLength} characters");
        return new SharedSecret(text);
    }

    /// <summary>A fresh random challenge.</summary>
    public static byte[] NewChallenge() => RandomNumberGenerator.GetBytes(32);

    /// <summary>The answer to <paramref name="challenge"/> that only a holder of the secret can give.</summary>
    public byte[] Prove(byte[] challenge)
    {
        var message = new byte[Purpose.Length + challenge.Length];
        Purpose.CopyTo(message, 0);
        challenge.CopyTo(message, Purpose.Length);
        return HMACSHA256.HashData(_key, message);
    }

    /// <summary>Whether <paramref name="proof"/> answers <paramref name="challenge"/> (compared in constant time).</summary>
    public bool Verify(byte[] challenge, byte[] proof) => CryptographicOperations.FixedTimeEquals(Prove(challenge), proof);
}
