namespace Lab.Finance.Abs;

/// <summary>What the servicer collected in one period, in fen (0.01 CNY), and how the pool's principal moved.</summary>
public sealed record Collections(long Interest, long Principal, long Recoveries, long Defaulted, long PoolStart)
{
    /// <summary>Cash in: interest and principal collections plus recoveries on defaulted loans.</summary>
    public long Cash => Interest + Principal + Recoveries;
    /// <summary>Principal of the loans not defaulted at the period end.</summary>
    public long PoolEnd => PoolStart - Principal - Defaulted;
}

/// <summary>The notes after a payment date: class balances, the reserve account, cumulative defaults and whether the trigger has switched principal to sequential (for good).</summary>
public sealed record NoteState(long A, long B, long Sub, long Reserve, long CumulativeDefaults, bool Sequential)
{
    public long Notes => A + B + Sub;
}

/// <summary>One period's priority of payments: each step's amount (fen), the coverage tests, and the notes afterwards.</summary>
public sealed record WaterfallResult
{
    public required int Period { get; init; }
    public required Collections In { get; init; }
    public long Fees { get; init; }
    public long InterestA { get; init; }
    public long InterestB { get; init; }
    /// <summary>Fees and interest due but unpaid (an event of default on class A in a real deal; here recorded).</summary>
    public long Shortfall { get; init; }
    public long ReserveDraw { get; init; }
    public double Oc { get; init; }
    public double Ic { get; init; }
    public bool Breach { get; init; }
    public long PrincipalA { get; init; }
    public long PrincipalB { get; init; }
    public long PrincipalSub { get; init; }
    public long ReserveTopUp { get; init; }
    public long ReserveRelease { get; init; }
    /// <summary>Excess spread (and any released reserve not needed above it) to the subordinated holder (the originator).</summary>
    public long Residual { get; init; }
    public required NoteState Before { get; init; }
    public required NoteState After { get; init; }

    public long PaidOut => Fees + InterestA + InterestB + PrincipalA + PrincipalB + PrincipalSub + Residual;
    public long ReserveChange => After.Reserve - Before.Reserve;
}

/// <summary>
/// The monthly priority of payments of the deal, computed in integer fen so that every replica and the trustee get
/// the same answer to the fen: senior fees (servicing, trustee) → class A interest → class B interest (both may draw on
/// the reserve) → coverage tests (OC, IC, cumulative loss; a breach switches principal from pro rata to sequential for
/// the rest of the deal) → principal up to the pool's principal decline including defaults (pro rata over A, B and
/// subordinated by balance, or sequential A → B → subordinated) → reserve top-up to its target → residual to the
/// subordinated holder. A reserve above its target (1% of A + B outstanding) is released into the available funds at the top. Cash in = paid out + reserve change, for any history. Less than reality: no clean-up call, no
/// principal deficiency ledger beyond catching up unpaid principal the next period, no taxes or VAT line.
/// </summary>
public static class Waterfall
{
    public static NoteState Closing(DealTerms t, long poolFen)
    {
        var a = (long)Math.Round(poolFen * t.SeniorAShare);
        var b = (long)Math.Round(poolFen * t.SeniorBShare);
        return new NoteState(a, b, poolFen - a - b, (long)Math.Round((a + b) * t.ReserveShare), 0, false);
    }

    public static WaterfallResult Run(DealTerms t, long initialPool, int period, NoteState s, Collections c)
    {
        // A reserve above its target (the senior notes have paid down) is released into the period's available funds.
        var release = Math.Max(0, s.Reserve - Target(t, s.A, s.B));
        var cash = c.Cash + release;
        var reserve = s.Reserve - release;
        long shortfall = 0, draw = 0;
        long Pay(long due, bool reserveMayPay)
        {
            var paid = Math.Min(due, cash);
            cash -= paid;
            if (paid < due && reserveMayPay)
            {
                var r = Math.Min(due - paid, reserve);
                reserve -= r;
                draw += r;
                paid += r;
            }
            shortfall += due - paid;
            return paid;
        }
        var feesDue = Monthly(c.PoolStart, t.ServicingFee + t.TrusteeFee);
        var intADue = Monthly(s.A, t.CouponA);
        var intBDue = Monthly(s.B, t.CouponB);
        var fees = Pay(feesDue, true);
        var intA = Pay(intADue, true);
        var intB = Pay(intBDue, true);

        var senior = s.A + s.B;
        // Par value test: the pool plus this period's principal proceeds (which are about to pay notes down) against the senior notes.
        var oc = senior > 0 ? (c.PoolEnd + c.Principal + c.Recoveries) / (double)senior : double.PositiveInfinity;
        var ic = feesDue + intADue + intBDue > 0 ? c.Interest / (double)(feesDue + intADue + intBDue) : double.PositiveInfinity;
        var cumulative = s.CumulativeDefaults + c.Defaulted;
        var breach = senior > 0 && (oc < t.OcTrigger || ic < t.IcTrigger || cumulative > t.CumulativeLossTrigger * initialPool);
        var sequential = s.Sequential || breach;

        // Principal: bring the notes down to the pool (scheduled, prepaid and defaulted principal, and any earlier shortfall).
        var due = Math.Max(0, s.Notes - c.PoolEnd);
        var principal = Math.Min(due, cash);
        cash -= principal;
        long pa, pb, ps;
        if (sequential)
        {
            pa = Math.Min(principal, s.A);
            pb = Math.Min(principal - pa, s.B);
            ps = Math.Min(principal - pa - pb, s.Sub);
        }
        else
        {
            pa = s.Notes > 0 ? (long)((Int128)principal * s.A / s.Notes) : 0;
            pb = s.Notes > 0 ? (long)((Int128)principal * s.B / s.Notes) : 0;
            ps = Math.Min(principal - pa - pb, s.Sub);
        }
        cash += principal - pa - pb - ps; // nothing left to pay down stays in the waterfall

        var a = s.A - pa;
        var b = s.B - pb;
        var target = Target(t, a, b);
        var topUp = reserve < target ? Math.Min(target - reserve, cash) : 0;
        cash -= topUp;
        reserve += topUp;
        var residual = cash;

        return new WaterfallResult
        {
            Period = period,
            In = c,
            Fees = fees,
            InterestA = intA,
            InterestB = intB,
            Shortfall = shortfall,
            ReserveDraw = draw,
            Oc = oc,
            Ic = ic,
            Breach = breach,
            PrincipalA = pa,
            PrincipalB = pb,
            PrincipalSub = ps,
            ReserveTopUp = topUp,
            ReserveRelease = release,
            Residual = residual,
            Before = s,
            After = new NoteState(a, b, s.Sub - ps, reserve, cumulative, sequential),
        };
    }

    private static long Target(DealTerms t, long a, long b) => (long)Math.Round((a + b) * t.ReserveShare);

    /// <summary>One month of an annual rate on a balance (30/360, rounded to the fen).</summary>
    public static long Monthly(long balance, double annualRate) => (long)Math.Round(balance * annualRate / 12, MidpointRounding.AwayFromZero);

    /// <summary>What is wrong with a result, or null: cash in = paid out + reserve change, no negative balance or
    /// payment, no principal beyond a class's balance, and under a sequential trigger no junior principal while a senior class is outstanding.</summary>
    public static string? Check(WaterfallResult r)
    {
        if (r.In.Cash != r.PaidOut + r.ReserveChange)
            return $"period {r.Period}: cash in {r.In.Cash} ≠ paid out {r.PaidOut} + reserve change {r.ReserveChange}";
        var after = r.After;
        if (after.A < 0 || after.B < 0 || after.Sub < 0 || after.Reserve < 0) return $"period {r.Period}: a negative balance ({after})";
        if (new[] { r.Fees, r.InterestA, r.InterestB, r.PrincipalA, r.PrincipalB, r.PrincipalSub, r.ReserveTopUp, r.ReserveRelease, r.Residual, r.ReserveDraw }.Any(x => x < 0))
            return $"period {r.Period}: a negative payment";
        if (after.Sequential && (r.PrincipalB > 0 && after.A > 0 || r.PrincipalSub > 0 && after.A + after.B > 0))
            return $"period {r.Period}: junior principal paid under the sequential trigger while a senior class is outstanding";
        return null;
    }
}
