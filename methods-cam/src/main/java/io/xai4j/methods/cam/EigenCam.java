package io.xai4j.methods.cam;

import io.xai4j.family.cam.ActivationCam;
import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020): the activations as a {@code [H*W, C]} matrix (not centred) projected on
 * their first right singular vector, signed so that the map's sum is positive, then ReLU. Needs no gradients
 * and ignores the target. The details give each example's {@code firstComponentShare}, the share of the
 * squared singular values the first one holds.
 */
public final class EigenCam extends ActivationCam {
    private static final MethodDescriptor DESCRIPTOR = descriptor("eigen-cam",
            "Eigen-CAM: projection of the activations on their first principal direction (no gradients)",
            layerOnly(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected boolean needsPositions() {
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void map(CamJob job, int example, Tensor activations, Tensor out) {
        int channels = activations.dim(0);
        int cells = activations.size() / channels;
        DMatrixRMaj m = new DMatrixRMaj(cells, channels);
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < cells; p++) {
                m.unsafe_set(p, c, activations.get(c * cells + p));
            }
        }
        DMatrixRMaj copy = m.copy();
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(cells, channels, false, true,
                true);
        if (!svd.decompose(copy)) {
            throw new IllegalStateException("the SVD of layer '" + job.layer() + "' did not converge");
        }
        double[] singular = svd.getSingularValues();
        int first = 0;
        double total = 0;
        for (int i = 0; i < svd.numberOfSingularValues(); i++) {
            total += singular[i] * singular[i];
            if (singular[i] > singular[first]) {
                first = i;
            }
        }
        DMatrixRMaj v = svd.getV(null, false);
        double[] projection = new double[cells];
        double sum = 0;
        for (int p = 0; p < cells; p++) {
            double s = 0;
            for (int c = 0; c < channels; c++) {
                s += m.unsafe_get(p, c) * v.unsafe_get(c, first);
            }
            projection[p] = s;
            sum += s;
        }
        if (sum < 0) {
            for (int p = 0; p < cells; p++) {
                projection[p] = -projection[p];
            }
        }
        Maps.write(projection, true, out);
        List<Object> shares = (List<Object>) job.details().computeIfAbsent("firstComponentShare",
                k -> new ArrayList<>());
        shares.add((float) (total == 0 ? 0 : singular[first] * singular[first] / total));
    }
}
