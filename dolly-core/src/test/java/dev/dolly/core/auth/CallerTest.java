package dev.dolly.core.auth;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of("myorg:developers"));
    private static final Caller BOB = new Caller("bob", false, Set.of("myorg:developers", "myorg:dbas"));
    private static final Caller EVE = new Caller("eve", false, Set.of("otherorg:developers"));
    private static final Caller ADMIN = Caller.administrator("admin");

    @Test
    void anImageIsVisibleToItsOwnerItsTeamsAndAdministrators()
    {
        ImageRecord shared = image("alice", List.of("myorg:developers"));

        assertThat(ALICE.canSee(shared)).isTrue();
        assertThat(BOB.canSee(shared)).isTrue();
        assertThat(ADMIN.canSee(shared)).isTrue();
        assertThat(EVE.canSee(shared)).isFalse();
    }

    @Test
    void anImageWithoutTeamsIsPrivate()
    {
        ImageRecord own = image("alice", List.of());

        assertThat(ALICE.canSee(own)).isTrue();
        assertThat(BOB.canSee(own)).isFalse();
        assertThat(ADMIN.canSee(own)).isTrue();
    }

    @Test
    void teamNamesMatchExactly()
    {
        // "developers" of another organisation is another team
        assertThat(EVE.canSee(image("alice", List.of("myorg:developers")))).isFalse();
        assertThat(EVE.canSee(image("alice", List.of("myorg:developers", "otherorg:developers")))).isTrue();
    }

    @Test
    void onlyMembersAndAdministratorsShareWithATeam()
    {
        ALICE.checkCanShareWith("myorg:developers");
        ADMIN.checkCanShareWith("anyorg:anyone");
        assertThatThrownBy(() -> EVE.checkCanShareWith("myorg:developers"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED))
                .hasMessage("You are not a member of team 'myorg:developers': only its members and administrators may share images and containers with it. "
                        + "Your teams: otherorg:developers.");
    }

    @Test
    void onlyTheOwnerAndAdministratorsMayChangeAnImage()
    {
        ImageRecord shared = image("alice", List.of("myorg:developers"));

        assertThat(ALICE.canChange(shared)).isTrue();
        assertThat(ADMIN.canChange(shared)).isTrue();
        assertThat(BOB.canChange(shared)).isFalse();
        assertThatThrownBy(() -> BOB.checkCanChange(shared, "delete"))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("Only the owner")
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED);
    }

    @Test
    void aContainerIsVisibleToItsOwnerAndAdministratorsOnly()
    {
        ContainerRecord container = container("bob");

        assertThat(BOB.canSee(container)).isTrue();
        assertThat(ADMIN.canSee(container)).isTrue();
        // a team member of the same team sees the image, not the containers made from it
        assertThat(ALICE.canSee(container)).isFalse();
        assertThat(EVE.canSee(container)).isFalse();
    }

    @Test
    void aSharedContainerIsVisibleToItsTeamsMembersWhoMayNotChangeIt()
    {
        ContainerRecord shared = new ContainerRecord(7, "team-db", 1, ResourceStatus.READY, null, "postgresql", "17.6.0", "127.0.0.1", 54321, "postgres",
                "secret", "widgets", "containers/7", "rev.0", "bob", Instant.EPOCH, null, List.of("myorg:dbas"));

        assertThat(BOB.canSee(shared)).isTrue();
        assertThat(BOB.canChange(shared)).isTrue();
        assertThat(ADMIN.canChange(shared)).isTrue();
        // a member of one of its teams connects to it, and may not change it
        Caller dba = new Caller("dana", false, Set.of("myorg:dbas"));
        assertThat(dba.canSee(shared)).isTrue();
        assertThat(dba.canChange(shared)).isFalse();
        assertThatThrownBy(() -> dba.checkCanChange(shared, "reset"))
                .hasMessage("Only the owner of data container 'team-db' (bob) or an administrator may reset it; you can connect to it through one of its teams.")
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED);
        // members of other teams do not see it
        assertThat(ALICE.canSee(shared)).isFalse();
        assertThat(EVE.canSee(shared)).isFalse();
    }

    @Test
    void administratorCommandsNeedAnAdministrator()
    {
        ADMIN.checkAdministrator("create users");
        assertThatThrownBy(() -> ALICE.checkAdministrator("create users"))
                .hasMessageContaining("Only administrators may create users")
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED);
    }

    private static ImageRecord image(String owner, List<String> teams)
    {
        return new ImageRecord(1, "widgetstore", ResourceStatus.READY, null, null, "postgresql", "17", "17.6.0", "backup", "widgets", "secret",
                "images/1", null, owner, "", "", Instant.EPOCH, Instant.EPOCH, null, List.of("latest-production"), teams, null);
    }

    private static ContainerRecord container(String owner)
    {
        return new ContainerRecord(7, "bobs-copy", 1, ResourceStatus.READY, null, "postgresql", "17.6.0", "127.0.0.1", 54321, "postgres", "secret",
                "widgets", "containers/7", "rev.0", owner, Instant.EPOCH, null);
    }
}
