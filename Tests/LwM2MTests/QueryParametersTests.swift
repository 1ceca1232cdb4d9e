import CoAP
import Testing
@testable import LwM2M

@Suite struct QueryParametersTests {
    @Test func looksUpValuesBareNamesAndAbsentNames() {
        let q = QueryParameters(["ep=dev-1", "lt=300", "Q", "b=", "x=a=b"])
        #expect(q["ep"] == .some("dev-1"))
        #expect(q["lt"] == .some("300"))
        #expect(q["Q"] == .some(nil))
        #expect(q["b"] == .some(""))
        #expect(q["x"] == .some("a=b"))
        #expect(q["sms"] == nil)
    }

    @Test func aNameIsNotMatchedByALongerOneOrAPrefix() {
        let q = QueryParameters(["epx=1", "e=2"])
        #expect(q["ep"] == nil)
        #expect(q["e"] == .some("2"))
        #expect(q["ex"] == nil)
    }

    @Test func theFirstOfARepeatedNameWins() {
        #expect(QueryParameters(["lt=1", "lt=2"])["lt"] == .some("1"))
        #expect(QueryParameters(["lt", "lt=2"])["lt"] == .some(nil))
        #expect(QueryParameters(["ep=é", "ep=x"])["ep"] == .some("é"))
    }

    @Test func readsTheUriQueryOptionsOfAMessage() {
        var m = Message(type: .confirmable, code: .post, messageID: 1)
        m.uriQuery = ["ep=dev", "lwm2m=1.1"]
        #expect(m.queryParameters["lwm2m"] == .some("1.1"))
        #expect(m.queryParameters["b"] == nil)
    }
}
