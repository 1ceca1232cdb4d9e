import Testing
@testable import LwM2M

@Suite struct UpdateIntervalRuleTests {
    @Test(arguments: [
        (UInt32(1), Int64(500)), (20, 10_000), (30, 15_000), (31, 15_750), (50, 30_000),
        (51, 30_800), (100, 70_000), (101, 70_900), (300, 250_000), (301, 250_950),
        (86_400, 82_045_000),
    ])
    func bc260TableIsExact(lifetime: UInt32, delay: Int64) {
        #expect(UpdateIntervalRule.bc260.delay(forLifetime: lifetime) == delay)
    }

    @Test func bc260PiecesMeetAndStayUnderTheLifetime() {
        var previous: Int64 = 0
        for l in UInt32(1)...2_000 {
            let d = UpdateIntervalRule.bc260.delay(forLifetime: l)
            #expect(d > previous, "not increasing at \(l)")
            #expect(d < Int64(l) * 1000, "not under the lifetime at \(l)")
            previous = d
        }
    }

    @Test func otherRules() {
        #expect(UpdateIntervalRule.fraction(9, of: 10).delay(forLifetime: 100) == 90_000)
        #expect(UpdateIntervalRule.margin(seconds: 10).delay(forLifetime: 100) == 90_000)
        #expect(UpdateIntervalRule.margin(seconds: 10).delay(forLifetime: 15) == 7_500)
    }
}
