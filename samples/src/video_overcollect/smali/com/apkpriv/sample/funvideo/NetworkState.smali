.class public final Lcom/apkpriv/sample/funvideo/NetworkState;
.super Ljava/lang/Object;
.source "NetworkState.java"

# Uses ACCESS_NETWORK_STATE: only start streaming when a network is up.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static isOnline(Landroid/content/Context;)Z
    .registers 2
    const-string v0, "connectivity"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/net/ConnectivityManager;
    invoke-virtual {v0}, Landroid/net/ConnectivityManager;->getActiveNetworkInfo()Landroid/net/NetworkInfo;
    move-result-object v0
    if-eqz v0, :offline
    invoke-virtual {v0}, Landroid/net/NetworkInfo;->isConnected()Z
    move-result v0
    return v0

    :offline
    const/4 v0, 0x0
    return v0
.end method
