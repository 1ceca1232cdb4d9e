/// When the module sends its automatic registration Update: the interval the note (2.1) derives
/// from the lifetime L, in seconds: L<=30: L/2; L<=50: 15+(L-30)*3/4; L<=100: 30+(L-50)*4/5;
/// L<=300: 70+(L-100)*9/10; else 250+(L-300)*19/20. Computed in milliseconds so every piece is
/// exact (lifetime 300 gives 250 000 ms, not 249 999).
public enum UpdateInterval {
    public static func milliseconds(forLifetime lifetime: Int64) -> Int64 {
        let l = max(0, lifetime)
        switch l {
        case ...30: return l * 500
        case ...50: return 15_000 + (l - 30) * 750
        case ...100: return 30_000 + (l - 50) * 800
        case ...300: return 70_000 + (l - 100) * 900
        default: return 250_000 + (l - 300) * 950
        }
    }
}
