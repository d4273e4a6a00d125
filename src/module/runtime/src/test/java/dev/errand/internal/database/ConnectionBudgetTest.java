package dev.errand.internal.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    @Test
    void aReplicaTakesOneConnectionPerConsumerWorkerPlusItsLoopsAndItsRequests() {
        ConnectionBudget.Budget budget = ConnectionBudget.decide(64, 10, Optional.empty(), Optional.empty());
        assertEquals(64 + 2 + 10, budget.connections());
        assertEquals(64, budget.background(), "nothing capped");
    }

    @Test
    void aLowerCeilingCapsTheConsumersTogetherAtWhatTheRequestsAndLoopsLeave() {
        ConnectionBudget.Budget budget = ConnectionBudget.decide(64, 10, Optional.empty(), Optional.of(30));
        assertEquals(30, budget.connections());
        assertEquals(18, budget.background());
    }

    @Test
    void aCeilingAboveTheNeedChangesNothing() {
        assertEquals(76, ConnectionBudget.decide(64, 10, Optional.empty(), Optional.of(200)).connections());
    }

    @Test
    void theServicesOwnPoolSizeIsTheCeilingAndStillCapsTheConsumers() {
        ConnectionBudget.Budget budget = ConnectionBudget.decide(64, 10, Optional.of(40), Optional.empty());
        assertEquals(40, budget.connections());
        assertEquals(28, budget.background());
    }

    @Test
    void anOperatorsLowerCeilingHoldsUnderTheServicesOwnPoolSize() {
        ConnectionBudget.Budget budget = ConnectionBudget.decide(64, 10, Optional.of(40), Optional.of(30));
        assertEquals(30, budget.connections());
        assertEquals(18, budget.background());
    }

    @Test
    void aCeilingTooSmallForTheRequestsStillLetsOneRunAtATime() {
        assertEquals(1, ConnectionBudget.decide(64, 10, Optional.empty(), Optional.of(5)).background());
    }
}
