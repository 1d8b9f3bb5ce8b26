package dev.dolly.core.image.build;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class OutOfSpaceTest
{
    @Test
    void recognisesAFullDiskAsEachEngineAndToolReportsIt()
    {
        assertThat(OutOfSpace.mentionsNoSpace(DollyException.loadFailed("Running 1-fill.sql failed at line 1: ERROR: could not extend file \"base/5/16384\": "
                + "No space left on device"))).isTrue();
        assertThat(OutOfSpace.mentionsNoSpace(DollyException.loadFailed("ERROR 1030 (HY000) at line 12: Got error 28 \"No space left on device\" from storage engine"))).isTrue();
        assertThat(OutOfSpace.mentionsNoSpace(DollyException.loadFailed("Error writing file './t.frm' (Errcode: 28)"))).isTrue();
        // in a cause or a suppressed failure
        assertThat(OutOfSpace.mentionsNoSpace(new IllegalStateException("copy failed", new IOException("No space left on device")))).isTrue();
        DollyException undone = DollyException.storageFailed("The server stopped");
        undone.addSuppressed(new IOException("write error: ENOSPC"));
        assertThat(OutOfSpace.mentionsNoSpace(undone)).isTrue();

        assertThat(OutOfSpace.mentionsNoSpace(DollyException.loadFailed("Running broken.sql failed at line 2: ERROR: syntax error at or near \"SELEC\""))).isFalse();
        assertThat(OutOfSpace.mentionsNoSpace(new IllegalStateException((String) null))).isFalse();
    }
}
