// metrics.md section 9: layout NC, B = 2, C = 3, T = 3.
export const WORKED = {
  shape: [2, 3],
  z: [1, -2, 0.5, 0, 3, -1],
  g: [
    [0.2, 0, -0.1, 0, 0.3, 0],
    [0, 0.4, 0.1, 0, 0.3, 0],
    [-0.2, 0, 0, 0, 0, 0.5],
  ],
};
