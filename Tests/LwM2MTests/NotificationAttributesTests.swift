import Testing
@testable import LwM2M

@Suite struct NotificationAttributesTests {
    @Test func parsesEveryAttribute() throws {
        let u = try NotificationAttributesUpdate(query: ["pmin=10", "pmax=60", "gt=25.5", "lt=-3", "st=0.5"])
        let a = NotificationAttributes.none.applying(u)
        #expect(a == NotificationAttributes(pmin: 10, pmax: 60, greaterThan: 25.5, lessThan: -3, step: 0.5))
        #expect(a.queryItems == ["pmin=10", "pmax=60", "gt=25.5", "lt=-3", "st=0.5"])
        #expect(a.description == "pmin=10;pmax=60;gt=25.5;lt=-3;st=0.5")
    }

    @Test func absentAttributesStayAndBareOnesReset() throws {
        let start = NotificationAttributes(pmin: 10, pmax: 60, step: 2)
        let a = start.applying(try NotificationAttributesUpdate(query: ["pmin", "gt=5"]))
        #expect(a == NotificationAttributes(pmin: nil, pmax: 60, greaterThan: 5, step: 2))
        let b = a.applying(try NotificationAttributesUpdate(query: ["pmax", "gt", "st"]))
        #expect(b.isEmpty)
    }

    @Test(arguments: [
        (["pmin=abc"], NotificationAttributesUpdate.ParseError.invalidValue("pmin=abc")),
        (["pmin=-1"], .invalidValue("pmin=-1")),
        (["pmax=4294967296"], .invalidValue("pmax=4294967296")),
        (["gt=nan"], .invalidValue("gt=nan")),
        (["lt=inf"], .invalidValue("lt=inf")),
        (["st=-1"], .invalidValue("st=-1")),
        (["gt="], .invalidValue("gt=")),
        (["foo=1"], .unknownAttribute("foo")),
        (["pmin=1", "pmin=2"], .repeated("pmin")),
        ([], .noAttributes),
    ])
    func rejectsMalformedQueries(query: [String], error: NotificationAttributesUpdate.ParseError) {
        #expect(throws: error) { try NotificationAttributesUpdate(query: query) }
    }

    @Test func valueConditionsAreFlagged() throws {
        #expect(try NotificationAttributesUpdate(query: ["st"]).touchesValueConditions)
        #expect(try !NotificationAttributesUpdate(query: ["pmin=1", "pmax"]).touchesValueConditions)
    }

    @Test func resourceInheritsFromInstanceWhichInheritsFromObject() {
        let object = NotificationAttributes(pmin: 5, pmax: 100, greaterThan: 1)
        let instance = NotificationAttributes(pmax: 50)
        let resource = NotificationAttributes(pmin: 2, step: 3)
        let effective = resource.inheriting(from: instance.inheriting(from: object))
        #expect(effective == NotificationAttributes(pmin: 2, pmax: 50, greaterThan: 1, step: 3))
    }

    @Test func scheduleFallsBackToServerDefaultsAndIgnoresBadPmax() {
        let s = NotificationSchedule(NotificationAttributes(), defaultMinimumPeriod: 1, defaultMaximumPeriod: 30)
        #expect(s.minimumPeriod == 1 && s.maximumPeriod == 30)
        #expect(NotificationSchedule(NotificationAttributes(pmin: 10, pmax: 5)).maximumPeriod == nil)
        #expect(NotificationSchedule(NotificationAttributes(pmax: 0)).maximumPeriod == nil)
        #expect(NotificationSchedule(NotificationAttributes(pmin: 10, pmax: 10)).maximumPeriod == 10)
    }
}
