using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Lab.Benchmarks;

/// <summary>
/// Calibrates the ledger's CPU cost defaults (Lab.Ledger.Crypto.CryptoCosts): SHA-256 per KB,
/// ECDSA P-256 sign and verify, as .NET does them on this machine. Baseline: hashing 1 KB.
/// Run: <c>dotnet run -c Release --project src/Lab.Benchmarks -- ledger-crypto</c>.
/// </summary>
[MemoryDiagnoser]
public class LedgerCryptoBenchmarks
{
    private readonly byte[] _kilobyte = new byte[1024];
    private readonly byte[] _digest = new byte[32];
    private ECDsa _key = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < _kilobyte.Length; i++) _kilobyte[i] = (byte)i;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SHA256.HashData(_kilobyte, _digest);
        _signature = _key.SignHash(_digest);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Baseline = true)]
    public int Sha256_1KB() => SHA256.HashData(_kilobyte, _digest);

    [Benchmark]
    public byte[] EcdsaP256_sign() => _key.SignHash(_digest);

    [Benchmark]
    public bool EcdsaP256_verify() => _key.VerifyHash(_digest, _signature);
}
